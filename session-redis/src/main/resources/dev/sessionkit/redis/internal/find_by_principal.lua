-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the principal's set, KEYS[2..] the hashes of the sessions it listed (the first phase, an
-- SMEMBERS); ARGV[3] principal, ARGV[4..] the ids of those hashes, in the same order.
-- Returns the hashes (HGETALL) of the sessions that still belong to the principal. An entry whose
-- hash is missing or someone else's leaves the set: every hash is in KEYS, so missing is gone. A
-- session added after the first phase is not listed (the listing is as of the first phase).
local out = {}
for i = 2, #KEYS do
  local p = redis.call('HGET', KEYS[i], 'p')
  if p == ARGV[3] then
    out[#out + 1] = redis.call('HGETALL', KEYS[i])
  else
    redis.call('SREM', KEYS[1], ARGV[2 + i])
  end
end
return out
