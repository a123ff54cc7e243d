-- KEYS[1] session hash; ARGV[3] expected token hash; ARGV[4..] field/value pairs of the new
-- metadata (fields absent here are removed, except id, c and attributes, which stay).
-- Returns 1 if replaced, 0 if the session is gone or its token hash is not the expected one.
local old = redis.call('HMGET', KEYS[1], 'id', 'th', 'p', 'la', 'ad')
if not old[1] or old[2] ~= ARGV[3] then return 0 end
local id = old[1]
local new = {}
for i = 4, #ARGV, 2 do new[ARGV[i]] = ARGV[i + 1] end
if tonumber(new['la']) < tonumber(old[4]) then new['la'] = old[4] end
redis.call('ZREM', DUE, member(id, old[5], old[3]))
if old[3] and old[3] ~= new['p'] then redis.call('SREM', pkey(old[3]), id) end
for _, name in ipairs({'p', 'am', 'rm', 'ip', 'ua'}) do
  if not new[name] then redis.call('HDEL', KEYS[1], name) end
end
for name, value in pairs(new) do redis.call('HSET', KEYS[1], name, value) end
if new['th'] ~= old[2] then
  redis.call('DEL', tkey(old[2]))
  redis.call('SET', tkey(new['th']), id)
end
if new['p'] then redis.call('SADD', pkey(new['p']), id) end
schedule(KEYS[1])
return 1
