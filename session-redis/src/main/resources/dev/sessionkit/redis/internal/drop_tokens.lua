-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1..] token keys; ARGV[3..] the session id each must still name, in the same order.
-- The last phase of a revocation or purge: deletes the token keys of sessions it deleted, each
-- only if it still names that session (a compare-and-set: never a key a later login took over).
-- Returns how many this call deleted.
local deleted = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[2 + i] then
    redis.call('DEL', KEYS[i])
    deleted = deleted + 1
  end
end
return deleted
