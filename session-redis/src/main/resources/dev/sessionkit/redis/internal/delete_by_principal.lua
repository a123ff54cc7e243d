-- KEYS[1] principal set; ARGV[3] principal; ARGV[4..] session ids to keep.
-- Deletes the principal's other sessions; returns the ids this call deleted.
local keep = {}
for i = 4, #ARGV do keep[ARGV[i]] = true end
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if not keep[id] then
    local k = skey(id)
    local f = redis.call('HMGET', k, 'th', 'p', 'ad')
    if f[2] == ARGV[3] then
      redis.call('DEL', k)
      unlink(id, f[1], f[2], f[3])
      out[#out + 1] = id
    else
      redis.call('SREM', KEYS[1], id)
    end
  end
end
return out
