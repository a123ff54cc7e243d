-- KEYS[1] series hash; ARGV[3] selector. Returns 1 if this call removed the series, else 0.
local p = redis.call('HGET', KEYS[1], 'p')
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
if p then
  redis.call('SREM', rpkey(p), ARGV[3])
  redis.call('ZREM', RDUE, seriesMember(ARGV[3], p))
end
return 1
