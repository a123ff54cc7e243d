-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the principal's set, KEYS[2] its generation key, KEYS[3] the due index; ARGV[3]
-- principal, ARGV[4] the new generation, ARGV[5..] session ids to keep.
-- In one step: raises the generation to at least ARGV[4] (the key never expires) and deletes the
-- principal's other sessions. Returns {deleted ids, unseen ids}: the ids this call deleted, and
-- those whose session hash it did not find. A session hash is not in KEYS (its id is read here),
-- so on a Redis Cluster that migrates the slot it may still be on the other node while this
-- script runs on the node that has the index keys: a missing hash proves nothing, and its entry
-- stays. The caller deletes each unseen id by a call that names the hash in KEYS (Redis then
-- answers TRYAGAIN or ASK instead of running it on the wrong node); a session that Redis expired
-- leaves the set there, or at the purge.
local current = redis.call('GET', KEYS[2]) or '0'
if decGreater(ARGV[4], current) then redis.call('SET', KEYS[2], ARGV[4]) end
local keep = {}
for i = 5, #ARGV do keep[ARGV[i]] = true end
local deleted, unseen = {}, {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if not keep[id] then
    local k = skey(id)
    local f = redis.call('HMGET', k, 'th', 'p', 'ad', 'pth')
    if f[2] == ARGV[3] then
      redis.call('DEL', k)
      unlink(id, f[1], f[2], f[3], f[4])
      deleted[#deleted + 1] = id
    elseif redis.call('EXISTS', k) == 1 then
      redis.call('SREM', KEYS[1], id) -- it belongs to someone else now
    else
      unseen[#unseen + 1] = id
    end
  end
end
return {deleted, unseen}
