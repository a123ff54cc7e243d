-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index, KEYS[3] its token's key; then the key of its
-- previous token if it has one, and its principal's set if it has one. ARGV[3] the principal the
-- caller saw (empty: anonymous); ARGV[4] the new idle timeout (ms); ARGV[5] token hash, ARGV[6]
-- previous token hash ('' for none), as the caller read them (the first phase) to name their keys.
-- The second phase: sets the session's own idle timeout and moves its TTLs and due entry to the
-- expiry that follows (earlier or later).
-- Returns 0 if the session is gone or now has another principal (nothing changed), -1 if its
-- tokens are no longer those the caller read (nothing changed: the caller reads them again),
-- else 1.
if not seenAs(KEYS[1], ARGV[3]) then return 0 end
if not still(KEYS[1], ARGV[5], ARGV[6], ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], 'it', ARGV[4])
link(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[#KEYS])
return 1
