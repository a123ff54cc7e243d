-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index; ARGV[3] the principal the caller saw (empty:
-- anonymous); ARGV[4] the new idle timeout (ms).
-- Sets the session's own idle timeout and moves its TTL and due entry to the expiry that follows
-- (earlier or later). Returns 0 if the session is gone or now has another principal (nothing
-- changed), else 1.
if not seenAs(KEYS[1], ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'it', ARGV[4])
link(KEYS[1], KEYS[2])
return 1
