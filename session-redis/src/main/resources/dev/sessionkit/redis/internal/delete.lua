-- KEYS[1] session hash; ARGV[3] session id. Returns 1 if this call removed the session, else 0.
local f = redis.call('HMGET', KEYS[1], 'th', 'p', 'ad')
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
unlink(ARGV[3], f[1], f[2], f[3])
return 1
