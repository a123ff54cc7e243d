-- SPDX-License-Identifier: Apache-2.0
-- Shared by every script. ARGV[1] is the root of one bucket's keys ({prefix}v4:{b}:, one hash
-- slot; no script builds a key name from it), ARGV[2] the TTL margin in milliseconds; a script's
-- own arguments start at ARGV[3]. A script touches keys of its bucket only, each named in KEYS.
-- Times are epoch milliseconds, exact as Lua numbers (doubles) below 2^53. Generations are 64-bit
-- and compared as decimal text (decGreater), never as Lua numbers.
-- Session hash fields: id th pth pvu pc p au am ia rm c la it ad ip ua, and "a:<name>" per attribute.
-- Series hash fields: p vh pvh pvu rc c e lu ls g.
-- Every script gets every key it touches in KEYS (docs/redis.md, Phases): where a key's name comes
-- from what Redis holds, the caller reads it first, or a script returns it and a second phase
-- removes it with a compare-and-set. The request path gets the session's own keys from the
-- session id that its cookie carries. ScriptKeysTest checks this.
local MARGIN = tonumber(ARGV[2])
local MAX_TTL = 4000000000000

local function int(n)
  if n > 9e15 then n = 9e15 elseif n < -9e15 then n = -9e15 end
  return string.format('%d', n)
end

-- Whether decimal integer a is greater than decimal integer b (canonical text, as Java's
-- Long.toString writes it), exactly for every 64-bit value.
local function decGreater(a, b)
  local aNeg, bNeg = string.sub(a, 1, 1) == '-', string.sub(b, 1, 1) == '-'
  if aNeg ~= bNeg then return bNeg end
  local larger
  if #a ~= #b then larger = #a > #b else larger = a > b end
  if aNeg then return a ~= b and not larger end
  return larger
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

-- Whether the session hash k exists with principal p (empty: anonymous, no 'p' field): the fence
-- that keeps a view from before a login from writing into the authenticated session.
local function seenAs(k, p)
  if redis.call('EXISTS', k) == 0 then return false end
  return (redis.call('HGET', k, 'p') or '') == p
end

-- Returns the field/value pairs ARGV[from..] as a table.
local function pairsFrom(from)
  local t = {}
  for i = from, #ARGV - 1, 2 do t[ARGV[i]] = ARGV[i + 1] end
  return t
end

-- Sets the TTL and the due entry of the session in hash k from its stored fields: the hash lives
-- until the session's expiry; due is the due index. When pk is given (the principal's set, named
-- in KEYS by create and rotate) and the session is authenticated, the set lives at least until the
-- session's absolute deadline, which no touch moves: so a touch need not name the set.
local function link(k, due, pk)
  local f = redis.call('HMGET', k, 'id', 'p', 'la', 'it', 'ad')
  local la = tonumber(f[3])
  local ends = expires(la, tonumber(f[4]), tonumber(f[5]))
  redis.call('PEXPIRE', k, ttl(ends, la))
  redis.call('ZADD', due, int(ends), member(f[1], f[5], f[2]))
  if pk and f[2] then keepAlive(pk, ttl(tonumber(f[5]), la)) end
end

-- The new id that moved key k names for token hash h: a login's move leaves "{new id}\n{hash of
-- the token it replaced}" there; only that token is forwarded (any other finds nothing, in this
-- one round trip). nil if k is absent or names another token.
local function movedFor(k, h)
  local v = redis.call('GET', k)
  if not v then return nil end
  local nl = string.find(v, '\n', 1, true)
  if nl and string.sub(v, nl + 1) == h then return string.sub(v, 1, nl - 1) end
  return nil
end
