-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] series due index; ARGV[3] now; ARGV[4] limit. Removes up to limit expired series
-- (also those Redis expired already) and returns how many.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3], 'LIMIT', 0, tonumber(ARGV[4]))
for _, m in ipairs(due) do
  local cut = string.find(m, '\n', 1, true)
  local s, p = string.sub(m, 1, cut - 1), string.sub(m, cut + 1)
  redis.call('ZREM', KEYS[1], m)
  redis.call('DEL', rkey(s))
  redis.call('SREM', rpkey(p), s)
end
return #due
