-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index; ARGV[3] session id.
-- The first phase of a delete: removes the hash and its due entry. Returns {} if there was no
-- hash, else {token hash, previous token hash, principal} ('' for none): the names of the keys
-- that still point at the session, which the caller removes in the second phase (unlink). Until
-- then a token key names an id without a hash, which every lookup reads as no session.
local f = redis.call('HMGET', KEYS[1], 'th', 'p', 'ad', 'pth')
if redis.call('DEL', KEYS[1]) == 0 then return {} end
if f[3] then redis.call('ZREM', KEYS[2], member(ARGV[3], f[3], f[2])) end
return {f[1] or '', f[4] or '', f[2] or ''}
