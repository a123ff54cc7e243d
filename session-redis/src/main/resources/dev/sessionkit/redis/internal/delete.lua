-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index; ARGV[3] session id.
-- Returns 1 if this call removed the session, else 0.
local f = redis.call('HMGET', KEYS[1], 'th', 'p', 'ad', 'pth')
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
unlink(ARGV[3], f[1], f[2], f[3], f[4])
return 1
