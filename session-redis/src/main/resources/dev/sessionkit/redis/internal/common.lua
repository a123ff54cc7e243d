-- Shared by every script (after the key functions). ARGV[1] is the key prefix, ARGV[2] the TTL
-- margin in milliseconds; a script's own arguments start at ARGV[3].
-- Times are epoch milliseconds, exact as Lua numbers (doubles) below 2^53.
-- Session hash fields: id th p c au am la it ad rm ip ua, and "a:<name>" per attribute.
-- Series hash fields: s p vh pvh pvu c e lu.
local MARGIN = tonumber(ARGV[2])
local MAX_TTL = 4000000000000

local function int(n)
  if n > 9e15 then n = 9e15 elseif n < -9e15 then n = -9e15 end
  return string.format('%d', n)
end

-- Milliseconds until an entry that ends at 'ends', written at 'at', may vanish: at least 1.
local function ttl(ends, at)
  local t = ends - at + MARGIN
  if t < 1 then t = 1 elseif t > MAX_TTL then t = MAX_TTL end
  return int(t)
end

local function expires(la, it, ad)
  local idle = la + it
  if ad < idle then return ad end
  return idle
end

-- The due-index member of a session: id, absolute deadline, principal (empty when anonymous).
local function member(id, ad, p)
  if p then return id .. '\n' .. ad .. '\n=' .. p end
  return id .. '\n' .. ad .. '\n'
end

local function parseMember(m)
  local a = string.find(m, '\n', 1, true)
  local b = string.find(m, '\n', a + 1, true)
  local rest = string.sub(m, b + 1)
  local p = false
  if rest ~= '' then p = string.sub(rest, 2) end
  return string.sub(m, 1, a - 1), string.sub(m, a + 1, b - 1), p
end

local function seriesMember(s, p) return s .. '\n' .. p end

-- An index set lives at least as long as the newest entry it lists.
local function keepAlive(key, t)
  local current = redis.call('PTTL', key)
  if current == -1 or (current >= 0 and current < tonumber(t)) then
    redis.call('PEXPIRE', key, t)
  end
end

local function hsetPairs(key, from, to)
  local i = from
  while i < to do
    local last = math.min(i + 199, to)
    redis.call('HSET', key, unpack(ARGV, i, last))
    i = last + 1
  end
end

-- Sets the TTLs and the due entry of the session in hash k from its stored fields.
local function schedule(k)
  local f = redis.call('HMGET', k, 'id', 'th', 'p', 'la', 'it', 'ad')
  local la = tonumber(f[4])
  local ends = expires(la, tonumber(f[5]), tonumber(f[6]))
  local t = ttl(ends, la)
  redis.call('PEXPIRE', k, t)
  redis.call('PEXPIRE', tkey(f[2]), t)
  redis.call('ZADD', DUE, int(ends), member(f[1], f[6], f[3]))
  if f[3] then keepAlive(pkey(f[3]), t) end
end

-- Removes what points at session id besides its hash: token key, principal entry, due entry.
local function unlink(id, th, p, ad)
  if th and redis.call('GET', tkey(th)) == id then redis.call('DEL', tkey(th)) end
  if p then redis.call('SREM', pkey(p), id) end
  if ad then redis.call('ZREM', DUE, member(id, ad, p)) end
end
