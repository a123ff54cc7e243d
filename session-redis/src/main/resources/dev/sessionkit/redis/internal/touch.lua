-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index, KEYS[3] its token's key; then the key of its
-- previous token if it has one, and its principal's set if it has one. ARGV[3] last access;
-- ARGV[4] token hash, ARGV[5] previous token hash, ARGV[6] principal ('' for none), as the caller
-- read them (the first phase) to name those keys.
-- The second phase of a touch: moves the last access, TTLs and due entry forward.
-- Returns 0 if the session is gone, -1 if its tokens or principal are no longer those the caller
-- read (nothing changed: the caller reads them again), else 1 (an earlier time changes nothing).
local current = redis.call('HGET', KEYS[1], 'la')
if not current then return 0 end
if not still(KEYS[1], ARGV[4], ARGV[5], ARGV[6]) then return -1 end
if tonumber(current) >= tonumber(ARGV[3]) then return 1 end
redis.call('HSET', KEYS[1], 'la', ARGV[3])
link(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[#KEYS])
return 1
