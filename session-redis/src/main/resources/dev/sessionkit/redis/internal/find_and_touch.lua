-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] token key; ARGV[3] the token hash, ARGV[4] now, ARGV[5] minimum interval between
-- recorded accesses.
-- The per-request path in one round trip: returns the session hash (HGETALL) of the session whose
-- current or previous token has this hash, or an empty list. It records an access at 'now' first
-- if the session is live, its last access is at least the interval old, and the token resolves:
-- it is the current one, or the previous one replaced by a renewal whose grace still runs (a dead
-- token never keeps a session alive). Fields that do not parse leave it untouched (the caller
-- removes a session that does not read back). {'>', id} when the token is one a login replaced
-- and the session moved to another bucket: the caller reads it there (it never resolves).
local id = redis.call('GET', KEYS[1])
if not id then return {} end
if not isLocal(id) then return {'>', id} end
local key = skey(id)
local f = redis.call('HMGET', key, 'la', 'it', 'ad', 'th', 'pth', 'pvu', 'pc')
local now, interval = tonumber(ARGV[4]), tonumber(ARGV[5])
local resolves
if f[4] == ARGV[3] then
  resolves = true
elseif f[5] == ARGV[3] then
  local graceEnd = tonumber(f[6])
  resolves = f[7] == 'R' and graceEnd ~= nil and now < graceEnd
else
  return {}
end
local la, it, ad = tonumber(f[1]), tonumber(f[2]), tonumber(f[3])
if resolves and la and it and ad and now > la and now - la >= interval
    and now < expires(la, it, ad) then
  redis.call('HSET', key, 'la', ARGV[4])
  schedule(key)
end
return redis.call('HGETALL', key)
