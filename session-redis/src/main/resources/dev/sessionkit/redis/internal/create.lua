-- KEYS[1] session hash, KEYS[2] token key; ARGV[3..] field/value pairs of the whole session.
-- Returns 1, or -1 if the id exists, -2 if the token hash exists.
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -2 end
hsetPairs(KEYS[1], 3, #ARGV)
local f = redis.call('HMGET', KEYS[1], 'id', 'p')
redis.call('SET', KEYS[2], f[1])
if f[2] then redis.call('SADD', pkey(f[2]), f[1]) end
schedule(KEYS[1])
return 1
