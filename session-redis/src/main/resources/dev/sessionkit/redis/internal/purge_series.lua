-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] series due index; KEYS[2 .. n+1] the hashes of the series of the due entries that the
-- first phase read (ZRANGEBYSCORE); after them, the principals' series sets that the arguments
-- point at. ARGV[3] now; ARGV[4] n; then per series hash KEYS[1+j]: ARGV[3+2j] its due entry,
-- ARGV[4+2j] the index in KEYS of its principal's set.
-- Removes each series whose entry is still in the index and still due (a compare-and-set: an entry
-- another purge took, or a rotation moved to a later expiry, is left), also one Redis expired
-- already or a delete removed (every hash is in KEYS, so missing is gone). Returns how many
-- entries this call claimed.
local now = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local removed = 0
for j = 1, n do
  local m, set = ARGV[3 + 2 * j], tonumber(ARGV[4 + 2 * j])
  local score = redis.call('ZSCORE', KEYS[1], m)
  if score and tonumber(score) <= now then
    local s = string.sub(m, 1, string.find(m, '\n', 1, true) - 1)
    redis.call('ZREM', KEYS[1], m)
    redis.call('DEL', KEYS[1 + j])
    redis.call('SREM', KEYS[set], s)
    removed = removed + 1
  end
end
return removed
