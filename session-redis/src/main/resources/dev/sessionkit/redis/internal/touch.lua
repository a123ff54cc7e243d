-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index; ARGV[3] last access.
-- Moves the last access, the TTL and the due entry forward. Returns 0 if the session is gone,
-- else 1 (an earlier time changes nothing).
local current = redis.call('HGET', KEYS[1], 'la')
if not current then return 0 end
if tonumber(current) >= tonumber(ARGV[3]) then return 1 end
redis.call('HSET', KEYS[1], 'la', ARGV[3])
link(KEYS[1], KEYS[2])
return 1
