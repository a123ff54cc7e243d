-- KEYS[1] token key; ARGV[3] the token hash, ARGV[4] now, ARGV[5] minimum interval between
-- recorded accesses.
-- The per-request path in one round trip: returns the session hash (HGETALL) of the session whose
-- current or previous token has this hash, or an empty list, after recording an access at 'now'
-- if the session is live and its last access is at least the interval old. Fields that do not
-- parse leave it untouched (the caller removes a session that does not read back).
local id = redis.call('GET', KEYS[1])
if not id then return {} end
local key = skey(id)
local f = redis.call('HMGET', key, 'la', 'it', 'ad', 'th', 'pth')
if f[4] ~= ARGV[3] and f[5] ~= ARGV[3] then return {} end
local la, it, ad = tonumber(f[1]), tonumber(f[2]), tonumber(f[3])
local now, interval = tonumber(ARGV[4]), tonumber(ARGV[5])
if la and it and ad and now > la and now - la >= interval and now < expires(la, it, ad) then
  redis.call('HSET', key, 'la', ARGV[4])
  schedule(key)
end
return redis.call('HGETALL', key)
