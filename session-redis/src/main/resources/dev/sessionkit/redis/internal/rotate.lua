-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the expected token's key, KEYS[3] the new token's key, KEYS[4]
-- the due index; when the replacement is authenticated (field p), KEYS[5] its principal's set and
-- KEYS[6] its generation key; last, when the replacement has a previous token (field pth), that
-- token's key.
-- ARGV[3] expected token hash, ARGV[4] the principal generation the caller read, ARGV[5..]
-- field/value pairs of the new metadata (fields absent here are removed, except id, c and the
-- attributes, which stay; the stored idle timeout it stays too; the last access becomes the later
-- of the stored and the new one).
-- Returns {} if the session is gone, its token hash is not the expected one, or the fence refused
-- a session that newly belongs to the principal (nothing changed); else {'1', the principal the
-- session left ('' if none), the token hash of its earlier previous token if the session no
-- longer answers to it ('' if none)}. Their keys are not in KEYS (only the hash names them): the
-- caller removes the principal's entry (unlink, which takes that token key along); a token key
-- left alone names a session that no longer answers to it, and expires when its grace ends.
local old = redis.call('HMGET', KEYS[1], 'id', 'th', 'p', 'la', 'ad', 'pth')
if not old[1] or old[2] ~= ARGV[3] then return {} end
local id = old[1]
local new = pairsFrom(5)
local last = 5
if new['p'] then
  if new['p'] ~= old[3] then
    local g = redis.call('GET', KEYS[6])
    if g and decGreater(g, ARGV[4]) then return {} end
  end
  last = 7
end
if tonumber(new['la']) < tonumber(old[4]) then new['la'] = old[4] end
new['it'] = nil
redis.call('ZREM', KEYS[4], member(id, old[5], old[3]))
local left = ''
if old[3] and old[3] ~= new['p'] then left = old[3] end
for _, name in ipairs({'pth', 'pvu', 'pc', 'p', 'au', 'am', 'ia', 'rm', 'ip', 'ua'}) do
  if not new[name] then redis.call('HDEL', KEYS[1], name) end
end
for name, value in pairs(new) do redis.call('HSET', KEYS[1], name, value) end
-- Afterwards the session answers to its new token and, if any, the new previous one: the key of
-- the expected token goes unless it is one of them; so does the previous one before it (by the
-- caller).
local kept = {[new['th']] = true}
if new['pth'] then kept[new['pth']] = true end
if not kept[old[2]] then dropToken(KEYS[2], id) end
local stale = ''
if old[6] and not kept[old[6]] then stale = old[6] end
redis.call('SET', KEYS[3], id)
if new['pth'] then redis.call('SET', KEYS[last], id) end
if new['p'] then redis.call('SADD', KEYS[5], id) end
link(KEYS[1], KEYS[4], KEYS[3], KEYS[last], KEYS[5])
return {'1', left, stale}
