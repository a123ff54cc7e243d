-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] series hash, KEYS[2] the principal's series set, KEYS[3] the series due index;
-- ARGV[3] selector hash; ARGV[4..] field/value pairs. Returns 1, or 0 if the key is taken.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
hsetPairs(KEYS[1], 4, #ARGV)
local f = redis.call('HMGET', KEYS[1], 'p', 'c', 'e')
local t = ttl(tonumber(f[3]), tonumber(f[2]))
redis.call('PEXPIRE', KEYS[1], t)
redis.call('SADD', KEYS[2], ARGV[3])
keepAlive(KEYS[2], t)
redis.call('ZADD', KEYS[3], int(tonumber(f[3])), seriesMember(ARGV[3], f[1]))
return 1
