-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the series due index.
-- Deletes every series and every principal's series set. Returns how many series hashes this call
-- deleted.
local deleted = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local nl = string.find(m, '\n', 1, true)
  deleted = deleted + redis.call('DEL', rkey(string.sub(m, 1, nl - 1)))
  redis.call('DEL', rpkey(string.sub(m, nl + 1)))
end
redis.call('DEL', KEYS[1])
return deleted
