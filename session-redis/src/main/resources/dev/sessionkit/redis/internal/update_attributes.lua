-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash; ARGV[3] the principal the caller saw (empty: anonymous); ARGV[4] number
-- of puts n; ARGV[5 .. 4+2n] field/value pairs to put; the rest are fields to remove (removed
-- first, so a put of the same name wins).
-- Returns 0 if the session is gone or now has another principal (nothing written), else 1.
if not seenAs(KEYS[1], ARGV[3]) then return 0 end
local last = 4 + 2 * tonumber(ARGV[4])
for i = last + 1, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
hsetPairs(KEYS[1], 5, last)
return 1
