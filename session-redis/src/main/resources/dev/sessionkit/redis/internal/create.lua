-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] its token key, KEYS[3] the due index, KEYS[4] its moved key (a
-- move back removes it); for an authenticated session (field p) KEYS[5] the principal's set and
-- KEYS[6] its generation key; last, for a session with a previous token (field pth), that token's
-- key.
-- ARGV[3] the principal generation the caller read; ARGV[4..] field/value pairs of the session.
-- Returns 1 if stored; 0 if the principal's generation is above ARGV[3] (the fence: nothing is
-- written); -1 if the id exists, -2 if the token hash exists.
-- A token key that names a session of another bucket is the forward a move left: it may go.
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local named = redis.call('GET', KEYS[2])
if named and isLocal(named) then return -2 end
local f = pairsFrom(4)
local last = 5
if f['p'] then
  local g = redis.call('GET', KEYS[6])
  if g and decGreater(g, ARGV[3]) then return 0 end
  last = 7
end
hsetPairs(KEYS[1], 4, #ARGV)
redis.call('DEL', KEYS[4])
redis.call('SET', KEYS[2], f['id'])
if f['pth'] then redis.call('SET', KEYS[last], f['id']) end
if f['p'] then redis.call('SADD', KEYS[5], f['id']) end
link(KEYS[1], KEYS[3], KEYS[2], KEYS[last], KEYS[5])
return 1
