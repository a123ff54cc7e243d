-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the series due index; KEYS[2 .. n+1] the hashes of the series of the entries that the
-- first phase read (ZRANGE); after them, the principals' series sets that the arguments point at.
-- ARGV[3] n; then per series hash KEYS[1+j]: ARGV[2+2j] its due entry, ARGV[3+2j] the index in KEYS
-- of its principal's set.
-- Deletes each listed series whose entry is still in the index, with its entries in its
-- principal's set and the due index (every hash is in KEYS, so a missing one is gone: its entries
-- go too). A series created after the first phase is not listed and stays (its principal's
-- generation, which the logout of everyone raised first, keeps it from granting anything).
-- Returns how many series hashes this call deleted.
local n = tonumber(ARGV[3])
local deleted = 0
for j = 1, n do
  local m, set = ARGV[2 + 2 * j], tonumber(ARGV[3 + 2 * j])
  if redis.call('ZSCORE', KEYS[1], m) then
    local nl = string.find(m, '\n', 1, true)
    local s, p = string.sub(m, 1, nl - 1), string.sub(m, nl + 1)
    local k = KEYS[1 + j]
    if redis.call('HGET', k, 'p') == p then
      redis.call('DEL', k)
      deleted = deleted + 1
    end
    redis.call('SREM', KEYS[set], s)
    redis.call('ZREM', KEYS[1], m)
  end
end
return deleted
