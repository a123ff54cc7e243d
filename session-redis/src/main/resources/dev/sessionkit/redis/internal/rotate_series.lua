-- KEYS[1] series hash; ARGV[3] expected validator hash, ARGV[4] new one, ARGV[5] grace end,
-- ARGV[6] now. Compare-and-set of the validator; returns 1 if this call rotated it, else 0.
local f = redis.call('HMGET', KEYS[1], 'vh', 'e', 'p')
if not f[1] or f[1] ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'pvh', f[1], 'vh', ARGV[4], 'pvu', ARGV[5], 'lu', ARGV[6])
local t = ttl(tonumber(f[2]), tonumber(ARGV[6]))
redis.call('PEXPIRE', KEYS[1], t)
keepAlive(rpkey(f[3]), t)
return 1
