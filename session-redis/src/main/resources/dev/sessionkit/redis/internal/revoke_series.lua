-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the principal's series set, KEYS[2] the series due index, KEYS[3 .. n+2] the hashes of
-- the series the set listed (the first phase, an SMEMBERS); ARGV[3] principal, ARGV[4] the
-- generation of kept series; per series hash KEYS[2+i]: ARGV[3+2i] its selector hash, ARGV[4+2i]
-- '1' to keep it, '0' to delete it.
-- A compare-and-set per series: deletes it (with its entries) only if it still belongs to the
-- principal, raises a kept one's generation to at least ARGV[4]; an entry whose hash is missing
-- or someone else's leaves the set (every hash is in KEYS, so missing is gone). A series created
-- after the first phase is not listed and stays (a login that ran before the principal's
-- generation was raised made it with an older generation, which grants nothing).
-- Returns how many series this call deleted.
local deleted = 0
for i = 1, #KEYS - 2 do
  local k, s, keep = KEYS[2 + i], ARGV[3 + 2 * i], ARGV[4 + 2 * i] == '1'
  local f = redis.call('HMGET', k, 'p', 'g')
  if f[1] ~= ARGV[3] then
    redis.call('SREM', KEYS[1], s)
  elseif keep then
    if not f[2] or decGreater(ARGV[4], f[2]) then redis.call('HSET', k, 'g', ARGV[4]) end
  else
    redis.call('DEL', k)
    redis.call('SREM', KEYS[1], s)
    redis.call('ZREM', KEYS[2], seriesMember(s, ARGV[3]))
    deleted = deleted + 1
  end
end
return deleted
