-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index shard, KEYS[3] the session's moved key; ARGV[3]
-- expected token hash, ARGV[4] the session's new id (in another bucket, where the caller created
-- it), ARGV[5] end of the replaced token's grace, ARGV[6] now.
-- The second step of a move (a login that takes an anonymous session to its principal's bucket):
-- a compare-and-set on the token hash that removes the session here and leaves the moved key,
-- naming the new id and the replaced token's hash, for the grace period (a cookie of the old id
-- with that token finds the session there).
-- Returns {} if the session is gone or its token hash is not the expected one (nothing changed),
-- else {'1', idle timeout, principal, name, value, ...}: the session's own idle timeout (a
-- rotation keeps it), the principal it had ('' for none: the caller removes the principal's entry,
-- unlink), and its attribute fields, for the new session.
local f = redis.call('HMGET', KEYS[1], 'id', 'th', 'p', 'ad', 'it')
if not f[1] or f[2] ~= ARGV[3] then return {} end
local out = {'1', f[5], f[3] or ''}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 2) == 'a:' then
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
redis.call('DEL', KEYS[1])
if f[4] then redis.call('ZREM', KEYS[2], member(f[1], f[4], f[3])) end
redis.call('SET', KEYS[3], ARGV[4] .. '\n' .. ARGV[3], 'PX',
  ttl(tonumber(ARGV[5]), tonumber(ARGV[6])))
return out
