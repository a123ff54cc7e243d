-- SPDX-License-Identifier: Apache-2.0
-- Shared by every script (after the key functions). ARGV[1] is the root of one bucket's keys
-- ({prefix}v3:{b}:, one hash slot), ARGV[2] the TTL margin in milliseconds; a script's own
-- arguments start at ARGV[3]. A script touches keys of its bucket only.
-- Times are epoch milliseconds, exact as Lua numbers (doubles) below 2^53. Generations are 64-bit
-- and compared as decimal text (decGreater), never as Lua numbers.
-- Session hash fields: id th pth pvu pc p au am ia rm c la it ad ip ua, and "a:<name>" per attribute.
-- Series hash fields: p vh pvh pvu rc c e lu ls g.
-- Every script gets every key it touches in KEYS (docs/redis.md, Phases): where a key's name comes
-- from what Redis holds, the caller reads it first, or a script returns it and a second phase
-- removes it with a compare-and-set. The two scripts of the request path (find_by_token,
-- find_and_touch) are the exception: they read the session hash that the token key names (skey),
-- before any write. ScriptKeysTest checks this.
local MARGIN = tonumber(ARGV[2])
local BUCKET = string.sub(P, -4, -3)

-- Whether session id lives in this bucket (ids end in '.' and their bucket); a token key may name
-- the new id of a session that a login moved to another bucket.
local function isLocal(id) return string.sub(id, -3) == '.' .. BUCKET end
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

-- Sets the TTLs and the due entry of the session in hash k from its stored fields: the hash and
-- its token key tk live until the session's expiry, the previous token's key ptk (when the session
-- has a previous token) until that token's grace ends (never past the session), its principal's
-- set pk (when authenticated) at least as long; due is the due index.
local function link(k, due, tk, ptk, pk)
  local f = redis.call('HMGET', k, 'id', 'th', 'p', 'la', 'it', 'ad', 'pth', 'pvu')
  local la = tonumber(f[4])
  local ends = expires(la, tonumber(f[5]), tonumber(f[6]))
  local t = ttl(ends, la)
  redis.call('PEXPIRE', k, t)
  redis.call('PEXPIRE', tk, t)
  if f[7] then
    local graceEnd = tonumber(f[8])
    if graceEnd > ends then graceEnd = ends end
    redis.call('PEXPIRE', ptk, ttl(graceEnd, la))
  end
  redis.call('ZADD', due, int(ends), member(f[1], f[6], f[3]))
  if f[3] then keepAlive(pk, t) end
end

-- Whether the session in hash k still has token hash th, previous token hash pth and principal p
-- ('' for none): the compare-and-set of a script whose caller read them to name their keys.
local function still(k, th, pth, p)
  local f = redis.call('HMGET', k, 'th', 'pth', 'p')
  return f[1] == th and (f[2] or '') == pth and (f[3] or '') == p
end

-- Deletes token key tk if it still names session id.
local function dropToken(tk, id)
  if redis.call('GET', tk) == id then redis.call('DEL', tk) end
end
