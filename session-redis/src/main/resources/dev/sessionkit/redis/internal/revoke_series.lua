-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the principal's series set, KEYS[2] the series due index; ARGV[3] principal, ARGV[4]
-- the generation of kept series, ARGV[5..] selector hashes to keep.
-- Deletes the principal's other series and raises the kept ones' generation to at least ARGV[4].
-- Returns how many series this call deleted. An entry whose series hash is missing stays: the
-- hash is not in KEYS, so on a Redis Cluster that migrates the slot it may be on the other node
-- (where the principal's raised generation keeps it from granting anything); the purge removes
-- the entry of a series that Redis expired.
local keep = {}
for i = 5, #ARGV do keep[ARGV[i]] = true end
local deleted = 0
for _, s in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local k = rkey(s)
  local f = redis.call('HMGET', k, 'p', 'g')
  if f[1] ~= ARGV[3] then
    if redis.call('EXISTS', k) == 1 then redis.call('SREM', KEYS[1], s) end -- a stale entry
  elseif keep[s] then
    if not f[2] or decGreater(ARGV[4], f[2]) then redis.call('HSET', k, 'g', ARGV[4]) end
  else
    redis.call('DEL', k)
    redis.call('SREM', KEYS[1], s)
    redis.call('ZREM', KEYS[2], seriesMember(s, ARGV[3]))
    deleted = deleted + 1
  end
end
return deleted
