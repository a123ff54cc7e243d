-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] series hash, KEYS[2] the principal's series set, KEYS[3] the series due index;
-- ARGV[3] selector hash, ARGV[4] expected validator hash, ARGV[5..] field/value pairs of the
-- replacement (optional fields absent here are removed).
-- Compare-and-set on the validator hash; the stored generation stays if it is higher than the
-- replacement's. Returns 1 if this call replaced the series; 0 if it is gone, its validator
-- changed, or the replacement names another principal (nothing changed).
local old = redis.call('HMGET', KEYS[1], 'vh', 'p', 'g', 'e')
if not old[1] or old[1] ~= ARGV[4] then return 0 end
local new = pairsFrom(5)
if new['p'] ~= old[2] then return 0 end
if old[3] and decGreater(old[3], new['g']) then new['g'] = old[3] end
for _, name in ipairs({'pvh', 'ls'}) do
  if not new[name] then redis.call('HDEL', KEYS[1], name) end
end
for name, value in pairs(new) do redis.call('HSET', KEYS[1], name, value) end
local t = ttl(tonumber(new['e']), tonumber(new['lu']))
redis.call('PEXPIRE', KEYS[1], t)
keepAlive(KEYS[2], t)
if new['e'] ~= old[4] then
  redis.call('ZADD', KEYS[3], int(tonumber(new['e'])), seriesMember(ARGV[3], new['p']))
end
return 1
