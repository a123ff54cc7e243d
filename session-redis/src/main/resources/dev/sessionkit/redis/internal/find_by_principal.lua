-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] principal set; ARGV[3] principal. Returns the hashes (HGETALL) of the sessions listed,
-- pruning entries whose session is gone (Redis expired it) or belongs to someone else now.
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local k = skey(id)
  if redis.call('HGET', k, 'p') == ARGV[3] then
    out[#out + 1] = redis.call('HGETALL', k)
  else
    redis.call('SREM', KEYS[1], id)
  end
end
return out
