-- KEYS[1] principal's series set; ARGV[3] principal; ARGV[4..] selectors to keep.
-- Returns how many series this call deleted.
local keep = {}
for i = 4, #ARGV do keep[ARGV[i]] = true end
local deleted = 0
for _, s in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if not keep[s] then
    local k = rkey(s)
    if redis.call('HGET', k, 'p') == ARGV[3] then
      redis.call('DEL', k)
      redis.call('ZREM', RDUE, seriesMember(s, ARGV[3]))
      deleted = deleted + 1
    end
    redis.call('SREM', KEYS[1], s)
  end
end
return deleted
