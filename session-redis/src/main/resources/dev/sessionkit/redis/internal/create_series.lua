-- KEYS[1] series hash; ARGV[3] selector; ARGV[4..] field/value pairs. Returns 1, or 0 if taken.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
hsetPairs(KEYS[1], 4, #ARGV)
local f = redis.call('HMGET', KEYS[1], 'p', 'c', 'e')
local t = ttl(tonumber(f[3]), tonumber(f[2]))
redis.call('PEXPIRE', KEYS[1], t)
redis.call('SADD', rpkey(f[1]), ARGV[3])
keepAlive(rpkey(f[1]), t)
redis.call('ZADD', RDUE, int(tonumber(f[3])), seriesMember(ARGV[3], f[1]))
return 1
