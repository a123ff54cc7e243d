-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the due index; KEYS[2 .. n+1] session hashes; after them, the principal sets that the
-- arguments point at. ARGV[3] n; then per session hash KEYS[1+j]: ARGV[1+3j] its id, ARGV[2+3j]
-- the principal it must still have (empty: anonymous), ARGV[3+3j] the index in KEYS of that
-- principal's set (0: none).
-- The second phase of a force logout, of a logout of everyone, or of a listing's clean-up
-- (n may be 0): a compare-and-set per session, which deletes its hash with its principal entry and
-- its due entry only if the session still has the principal the first phase saw. A session that
-- now belongs to someone else (a login after the first phase, which the fence let through) stays.
-- Every hash is in KEYS, so a hash missing here is gone (Redis expired it, or a concurrent call
-- deleted it): its principal entry leaves, its due entry stays for the purge, which reports the
-- expiry.
-- Returns the id of each session this call deleted.
local n = tonumber(ARGV[3])
local deleted = {}
for j = 1, n do
  local k = KEYS[1 + j]
  local id, expected, set = ARGV[1 + 3 * j], ARGV[2 + 3 * j], tonumber(ARGV[3 + 3 * j])
  local f = redis.call('HMGET', k, 'id', 'p', 'ad')
  if f[1] and (f[2] or '') == expected then
    redis.call('DEL', k)
    redis.call('ZREM', KEYS[1], member(id, f[3], f[2]))
    if set > 0 then redis.call('SREM', KEYS[set], id) end
    deleted[#deleted + 1] = id
  elseif set > 0 then -- gone, or no longer this principal's
    redis.call('SREM', KEYS[set], id)
  end
end
return deleted
