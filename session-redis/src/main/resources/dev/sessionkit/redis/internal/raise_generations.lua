-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the due index, KEYS[2..] generation keys (of principals of this bucket).
-- The second phase of a logout of everyone: raises each generation by one (a key that does not
-- exist yet starts at 1; none expires) and returns every entry of the due index, read in the same
-- step. From here on the fence refuses every login of these principals that read an earlier
-- generation, so every session that the third phase (drop_sessions) must end is listed.
for i = 2, #KEYS do redis.call('INCR', KEYS[i]) end
return redis.call('ZRANGE', KEYS[1], 0, -1)
