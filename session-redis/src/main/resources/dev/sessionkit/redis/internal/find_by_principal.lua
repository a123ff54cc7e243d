-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] principal set; ARGV[3] principal. Returns the hashes (HGETALL) of the sessions listed,
-- pruning entries whose session belongs to someone else now. An entry whose hash is missing
-- stays: the hash is not in KEYS, so on a Redis Cluster that migrates the slot it may be on the
-- other node; the purge (or a force logout) removes the entry of a session that Redis expired.
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local k = skey(id)
  local p = redis.call('HGET', k, 'p')
  if p == ARGV[3] then
    out[#out + 1] = redis.call('HGETALL', k)
  elseif redis.call('EXISTS', k) == 1 then
    redis.call('SREM', KEYS[1], id)
  end
end
return out
