-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the due index, KEYS[2] the series due index.
-- In one step: raises by one the generation of every principal that has a session or a series,
-- then deletes every session with its token keys, principal entry and due entry. The series stay
-- for revoke_all_series; with their principal's generation raised they grant nothing meanwhile.
-- Returns {how many session hashes this call deleted, then id, principal ('' if anonymous) of
-- each session whose hash it did not find}: the hash is not in KEYS, so on a Redis Cluster that
-- migrates the slot it may be on the other node; its entries stay and the caller deletes it by a
-- call that names the hash in KEYS (see revoke_session).
local raised = {}
local function raise(p)
  if p and not raised[p] then
    raised[p] = true
    redis.call('INCR', gkey(p))
  end
end
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local nl = string.find(m, '\n', 1, true)
  raise(string.sub(m, nl + 1))
end
local out = {0}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local id, ad, p = parseMember(m)
  raise(p)
  local k = skey(id)
  local f = redis.call('HMGET', k, 'th', 'pth')
  if redis.call('DEL', k) == 1 then
    out[1] = out[1] + 1
    if f[1] then dropToken(tkey(f[1]), id) end
    if f[2] then dropToken(tkey(f[2]), id) end
    if p then redis.call('SREM', pkey(p), id) end
    redis.call('ZREM', KEYS[1], m)
  else
    out[#out + 1] = id
    out[#out + 1] = p or ''
  end
end
return out
