-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] due index; KEYS[2 .. n+1] the hashes of the sessions of the due entries that the first
-- phase read (ZRANGEBYSCORE); after them, the principal sets that the arguments point at.
-- ARGV[3] now; ARGV[4] n; then per session hash KEYS[1+j]: ARGV[3+2j] its due entry, ARGV[4+2j]
-- the index in KEYS of its principal's set (0: anonymous).
-- Claims the entries that are still in the index (whoever removes a due entry reports it; an
-- entry another purge claimed, or a touch moved, is not there or no longer due) and returns id,
-- principal (or nil), expiredAt, reason (A|I) for each session that ended, whether its hash is
-- still there or Redis expired it already (every hash is in KEYS, so missing is gone); a session
-- that a touch kept alive gets its entry back at its new expiry.
local now = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local out = {}
for j = 1, n do
  local m, set = ARGV[3 + 2 * j], tonumber(ARGV[4 + 2 * j])
  local score = redis.call('ZSCORE', KEYS[1], m)
  if score and tonumber(score) <= now then
    local id, ad, p = parseMember(m)
    redis.call('ZREM', KEYS[1], m)
    local k = KEYS[1 + j]
    local f = redis.call('HMGET', k, 'p', 'la', 'it', 'ad')
    local la, it, deadline = tonumber(f[2]), tonumber(f[3]), tonumber(f[4])
    local ends
    if la and it and deadline then
      ends = expires(la, it, deadline)
      if f[1] ~= p then ends = nil end -- the entry of an earlier principal: the session has its own
      ad = f[4]
    else -- gone (Redis expired it) or unreadable: the due entry tells what to report
      ends = tonumber(score)
    end
    if ends == nil then
      -- nothing to report: the session's current entry is another one
    elseif ends > now then
      redis.call('ZADD', KEYS[1], int(ends), member(id, ad, p))
    else
      redis.call('DEL', k)
      if set > 0 then redis.call('SREM', KEYS[set], id) end
      local reason = 'I'
      if tonumber(ad) <= ends then reason = 'A' end
      out[#out + 1] = id
      out[#out + 1] = p
      out[#out + 1] = int(ends)
      out[#out + 1] = reason
    end
  end
end
return out
