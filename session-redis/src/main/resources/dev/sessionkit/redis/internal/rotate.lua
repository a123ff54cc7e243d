-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the due index; when the replacement is authenticated (field p),
-- KEYS[3] its principal's set and KEYS[4] its generation key.
-- ARGV[3] expected token hash, ARGV[4] the principal generation the caller read, ARGV[5..]
-- field/value pairs of the new metadata (fields absent here are removed, except id, c and the
-- attributes, which stay; the stored idle timeout it stays too; the last access becomes the later
-- of the stored and the new one).
-- Returns {} if the session is gone, its token hash is not the expected one, or the fence refused
-- a session that newly belongs to the principal (nothing changed); else {'1', the principal the
-- session left ('' if none)}. That principal's set is not in KEYS (only the hash names it): the
-- caller removes the session's entry there (unlink).
local old = redis.call('HMGET', KEYS[1], 'id', 'th', 'p', 'la', 'ad')
if not old[1] or old[2] ~= ARGV[3] then return {} end
local id = old[1]
local new = pairsFrom(5)
if new['p'] and new['p'] ~= old[3] then
  local g = redis.call('GET', KEYS[4])
  if g and decGreater(g, ARGV[4]) then return {} end
end
if tonumber(new['la']) < tonumber(old[4]) then new['la'] = old[4] end
new['it'] = nil
redis.call('ZREM', KEYS[2], member(id, old[5], old[3]))
local left = ''
if old[3] and old[3] ~= new['p'] then left = old[3] end
for _, name in ipairs({'pth', 'pvu', 'pc', 'p', 'au', 'am', 'ia', 'rm', 'ip', 'ua'}) do
  if not new[name] then redis.call('HDEL', KEYS[1], name) end
end
for name, value in pairs(new) do redis.call('HSET', KEYS[1], name, value) end
if new['p'] then redis.call('SADD', KEYS[3], id) end
link(KEYS[1], KEYS[2], KEYS[3])
return {'1', left}
