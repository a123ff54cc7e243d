-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] session hash, KEYS[2] the expected token's key, KEYS[3] the new token's key, KEYS[4]
-- the due index; when the replacement is authenticated (field p), KEYS[5] its principal's set and
-- KEYS[6] its generation key; last, when the replacement has a previous token (field pth), that
-- token's key.
-- ARGV[3] expected token hash, ARGV[4] the principal generation the caller read, ARGV[5..]
-- field/value pairs of the new metadata (fields absent here are removed, except id, c and the
-- attributes, which stay; the stored idle timeout it stays too; the last access becomes the later
-- of the stored and the new one).
-- Returns 1 if rotated; 0 if the session is gone, its token hash is not the expected one, or the
-- fence refused a session that newly belongs to the principal (nothing changed).
local old = redis.call('HMGET', KEYS[1], 'id', 'th', 'p', 'la', 'ad', 'pth')
if not old[1] or old[2] ~= ARGV[3] then return 0 end
local id = old[1]
local new = pairsFrom(5)
local last = 5
if new['p'] then
  if new['p'] ~= old[3] then
    local g = redis.call('GET', KEYS[6])
    if g and decGreater(g, ARGV[4]) then return 0 end
  end
  last = 7
end
if tonumber(new['la']) < tonumber(old[4]) then new['la'] = old[4] end
new['it'] = nil
redis.call('ZREM', KEYS[4], member(id, old[5], old[3]))
if old[3] and old[3] ~= new['p'] then redis.call('SREM', pkey(old[3]), id) end
for _, name in ipairs({'pth', 'pvu', 'pc', 'p', 'au', 'am', 'ia', 'rm', 'ip', 'ua'}) do
  if not new[name] then redis.call('HDEL', KEYS[1], name) end
end
for name, value in pairs(new) do redis.call('HSET', KEYS[1], name, value) end
-- Afterwards the session answers to its new token and, if any, the new previous one: the key of
-- every other token it had (the expected one, the previous one before it) goes.
local kept = {[new['th']] = true}
if new['pth'] then kept[new['pth']] = true end
if not kept[old[2]] then dropToken(KEYS[2], id) end
if old[6] and not kept[old[6]] then dropToken(tkey(old[6]), id) end
redis.call('SET', KEYS[3], id)
if new['pth'] then redis.call('SET', KEYS[last], id) end
if new['p'] then redis.call('SADD', KEYS[5], id) end
schedule(KEYS[1])
return 1
