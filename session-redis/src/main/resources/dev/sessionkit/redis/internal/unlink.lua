-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the hash of session ARGV[3], KEYS[2] the set of principal ARGV[4].
-- The second phase of a delete, of a move and of a rotation that took the session from its
-- principal: removes the session's entry from the principal's set, by a compare-and-set: only if
-- the hash is gone or no longer that principal's. Returns 1 if it removed the entry, else 0.
local id, p = ARGV[3], ARGV[4]
if redis.call('HGET', KEYS[1], 'p') == p then return 0 end
return redis.call('SREM', KEYS[2], id)
