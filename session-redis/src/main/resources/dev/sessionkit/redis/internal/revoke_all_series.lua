-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the series due index.
-- Deletes every series with its entries in its principal's set and the due index. Returns how
-- many series hashes this call deleted. The entries of a series whose hash is missing stay: the
-- hash is not in KEYS, so on a Redis Cluster that migrates the slot it may be on the other node
-- (where its principal's generation, raised by revoke_all, keeps it from granting anything); the
-- purge removes those of a series that Redis expired.
local deleted = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local nl = string.find(m, '\n', 1, true)
  local s = string.sub(m, 1, nl - 1)
  if redis.call('DEL', rkey(s)) == 1 then
    deleted = deleted + 1
    redis.call('SREM', rpkey(string.sub(m, nl + 1)), s)
    redis.call('ZREM', KEYS[1], m)
  end
end
return deleted
