-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the principal's set, KEYS[2] its generation key; ARGV[3] the new generation.
-- The first phase of a force logout: raises the generation to at least ARGV[3] (the key never
-- expires) and returns the ids the principal's set lists, in one step. From here on the fence
-- refuses every login that read an earlier generation, so every session that the second phase
-- (drop_sessions) must end is among the ids returned.
local current = redis.call('GET', KEYS[2]) or '0'
if decGreater(ARGV[3], current) then redis.call('SET', KEYS[2], ARGV[3]) end
return redis.call('SMEMBERS', KEYS[1])
