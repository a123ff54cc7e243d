-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index, KEYS[3] its moved key (a move back removes it);
-- for an authenticated session (field p) KEYS[4] the principal's set and KEYS[5] its generation
-- key.
-- ARGV[3] the principal generation the caller read; ARGV[4..] field/value pairs of the session.
-- Returns 1 if stored; 0 if the principal's generation is above ARGV[3] (the fence: nothing is
-- written); -1 if the id exists.
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local f = pairsFrom(4)
if f['p'] then
  local g = redis.call('GET', KEYS[5])
  if g and decGreater(g, ARGV[3]) then return 0 end
end
hsetPairs(KEYS[1], 4, #ARGV)
redis.call('DEL', KEYS[3])
if f['p'] then redis.call('SADD', KEYS[4], f['id']) end
link(KEYS[1], KEYS[2], KEYS[4])
return 1
