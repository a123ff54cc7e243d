-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the hash of session ARGV[3]; KEYS[2 .. n+1] token keys, ARGV[5 .. n+4] their token
-- hashes in the same order; when ARGV[4] (a principal) is not empty, KEYS[n+2] is its set.
-- The second phase of a delete, of a move and of a rotation that took the session from its
-- principal: removes what still points at the session besides its hash, each by a
-- compare-and-set: a token key only if it still names the session and the session (if its hash is
-- there again, or still) does not answer to that token; the principal's entry only if the hash is
-- gone or no longer that principal's. Returns how many token keys this call deleted.
local id, p = ARGV[3], ARGV[4]
local f = redis.call('HMGET', KEYS[1], 'th', 'pth', 'p')
local n = #KEYS - 1
if p ~= '' then n = n - 1 end
local dropped = 0
for i = 1, n do
  local h = ARGV[4 + i]
  if h ~= f[1] and h ~= f[2] and redis.call('GET', KEYS[1 + i]) == id then
    redis.call('DEL', KEYS[1 + i])
    dropped = dropped + 1
  end
end
if p ~= '' and f[3] ~= p then redis.call('SREM', KEYS[n + 2], id) end
return dropped
