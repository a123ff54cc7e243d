-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index; ARGV[3] session id.
-- The first phase of a delete: removes the hash and its due entry. Returns {} if there was no
-- hash, else {principal} ('' for none): the name of the set that still lists the session, from
-- which the caller removes it in the second phase (unlink). Until then the set lists an id without
-- a hash, which every listing skips.
local f = redis.call('HMGET', KEYS[1], 'p', 'ad')
if redis.call('DEL', KEYS[1]) == 0 then return {} end
if f[2] then redis.call('ZREM', KEYS[2], member(ARGV[3], f[2], f[1])) end
return {f[1] or ''}
