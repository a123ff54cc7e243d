-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash (its id is in the cookie), KEYS[2] its moved key; ARGV[3] the token hash.
-- Returns the session hash (HGETALL) if the session answers to this hash as its current or
-- previous token (the caller checks which), an empty list if not, or {'>', id} when the session
-- moved to another bucket at a login and this is the token the login replaced (the caller reads it
-- there). Writes nothing.
local f = redis.call('HMGET', KEYS[1], 'th', 'pth')
if not f[1] then
  local moved = movedFor(KEYS[2], ARGV[3])
  if moved then return {'>', moved} end
  return {}
end
if f[1] ~= ARGV[3] and f[2] ~= ARGV[3] then return {} end
return redis.call('HGETALL', KEYS[1])
