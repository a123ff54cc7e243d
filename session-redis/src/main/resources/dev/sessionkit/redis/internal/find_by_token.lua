-- KEYS[1] token key. Returns the session hash (HGETALL) of the token's session, or an empty list.
local id = redis.call('GET', KEYS[1])
if not id then return {} end
return redis.call('HGETALL', skey(id))
