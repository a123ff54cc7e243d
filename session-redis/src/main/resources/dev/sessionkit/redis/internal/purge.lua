-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] due index; ARGV[3] now; ARGV[4] limit. Claims up to limit due sessions (whoever
-- removes a due entry reports it) and returns id, principal (or nil), expiredAt, reason (A|I)
-- for each, whether the session hash is still there or Redis expired it already.
local now = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local out = {}
local reported = 0
while reported < limit do
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3], 'WITHSCORES', 'LIMIT', 0,
    limit - reported)
  if #due == 0 then break end
  for i = 1, #due, 2 do
    local id, ad, p = parseMember(due[i])
    redis.call('ZREM', KEYS[1], due[i])
    local k = skey(id)
    local f = redis.call('HMGET', k, 'th', 'p', 'la', 'it', 'ad', 'pth')
    local la, it, deadline = tonumber(f[3]), tonumber(f[4]), tonumber(f[5])
    local ends
    if la and it and deadline then
      ends = expires(la, it, deadline)
      p, ad = f[2], f[5]
    else -- gone (Redis expired it) or unreadable: the due entry tells what to report
      ends = tonumber(due[i + 1])
    end
    if ends > now then
      redis.call('ZADD', KEYS[1], int(ends), member(id, ad, p))
    else
      redis.call('DEL', k)
      unlink(id, f[1], p, nil, f[6])
      local reason = 'I'
      if tonumber(ad) <= ends then reason = 'A' end
      out[#out + 1] = id
      out[#out + 1] = p
      out[#out + 1] = int(ends)
      out[#out + 1] = reason
      reported = reported + 1
    end
  end
end
return out
