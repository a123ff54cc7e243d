-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash; ARGV[3] number of puts n; ARGV[4 .. 3+2n] field/value pairs to put;
-- the rest are fields to remove (removed first, so a put of the same name wins).
-- Returns 0 if the session is gone, else 1.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local last = 3 + 2 * tonumber(ARGV[3])
for i = last + 1, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
hsetPairs(KEYS[1], 4, last)
return 1
