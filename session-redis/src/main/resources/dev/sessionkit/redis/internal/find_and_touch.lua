-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] token key, KEYS[2] the due index; ARGV[3] the token hash, ARGV[4] now, ARGV[5] minimum
-- interval between recorded accesses.
-- The per-request path in one round trip: returns the session hash (HGETALL) of the session whose
-- current or previous token has this hash, or an empty list. It records an access at 'now' first
-- if the session is live, its last access is at least the interval old, and the token resolves:
-- it is the current one, or the previous one replaced by a renewal whose grace still runs (a dead
-- token never keeps a session alive). Fields that do not parse leave it untouched (the caller
-- removes a session that does not read back). {'>', id} when the token is one a login replaced
-- and the session moved to another bucket: the caller reads it there (it never resolves).
-- The keys that the session hash names are not in KEYS (its id is in no cookie): the hash itself
-- and, for a session that records an access, its token keys and its principal's set. Each is read
-- before any write, so on a node that does not hold one Redis refuses the script before it wrote
-- anything.
local id = redis.call('GET', KEYS[1])
if not id then return {} end
if not isLocal(id) then return {'>', id} end
local key = skey(id)
local f = redis.call('HMGET', key, 'la', 'it', 'ad', 'th', 'pth', 'pvu', 'pc', 'p')
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
if resolves and f[4] and la and it and ad and now > la and now - la >= interval
    and now < expires(la, it, ad) then
  local tk = tkey(f[4])
  redis.call('EXISTS', tk)
  local ptk, pk
  if f[5] then
    ptk = tkey(f[5])
    redis.call('EXISTS', ptk)
  end
  if f[8] then
    pk = pkey(f[8])
    redis.call('EXISTS', pk)
  end
  redis.call('HSET', key, 'la', ARGV[4])
  link(key, KEYS[2], tk, ptk, pk)
end
return redis.call('HGETALL', key)
