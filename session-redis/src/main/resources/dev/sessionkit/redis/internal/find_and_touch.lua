-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash (its id is in the cookie), KEYS[2] the due index, KEYS[3] its moved key;
-- ARGV[3] the token hash, ARGV[4] now, ARGV[5] minimum interval between recorded accesses.
-- The per-request path in one round trip: returns the session hash (HGETALL) if the session
-- answers to this hash as its current or previous token, or an empty list. It records an access
-- at 'now' first if the session is live, its last access is at least the interval old, and the
-- token resolves: it is the current one, or the previous one replaced by a renewal whose grace
-- still runs (a dead token never keeps a session alive). Fields that do not parse leave it
-- untouched (the caller removes a session that does not read back). {'>', id} when the session
-- moved to another bucket at a login and this is the token the login replaced: the caller reads it
-- there (a token a login replaced never resolves).
local f = redis.call('HMGET', KEYS[1], 'la', 'it', 'ad', 'th', 'pth', 'pvu', 'pc')
if not f[4] then
  local moved = movedFor(KEYS[3], ARGV[3])
  if moved then return {'>', moved} end
  return {}
end
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
  redis.call('HSET', KEYS[1], 'la', ARGV[4])
  link(KEYS[1], KEYS[2])
end
return redis.call('HGETALL', KEYS[1])
