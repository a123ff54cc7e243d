-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index, KEYS[3] (optional) the set of principal ARGV[4];
-- ARGV[3] session id, ARGV[4] (optional) the principal the session must belong to.
-- Deletes a session that a revocation script did not find (revoke_principal, revoke_all): with the
-- hash in KEYS, a Redis Cluster that migrates the slot runs this only on a node that holds every
-- key named (else it answers TRYAGAIN or ASK), so a missing hash here is really gone, and its entry
-- leaves the principal's set (its due entry stays for the purge, which reports the expiry).
-- Returns 1 if this call deleted the session, else 0.
local f = redis.call('HMGET', KEYS[1], 'th', 'p', 'ad', 'pth')
if redis.call('EXISTS', KEYS[1]) == 0 or (ARGV[4] and f[2] ~= ARGV[4]) then
  if KEYS[3] then redis.call('SREM', KEYS[3], ARGV[3]) end
  return 0
end
redis.call('DEL', KEYS[1])
unlink(ARGV[3], f[1], f[2], f[3], f[4])
return 1
