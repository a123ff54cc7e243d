-- SPDX-License-Identifier: Apache-2.0
-- Shared by every script (after the key functions). ARGV[1] is the root of one bucket's keys
-- ({prefix}v3:{b}:, one hash slot), ARGV[2] the TTL margin in milliseconds; a script's own
-- arguments start at ARGV[3]. A script touches keys of its bucket only.
-- Times are epoch milliseconds, exact as Lua numbers (doubles) below 2^53. Generations are 64-bit
-- and compared as decimal text (decGreater), never as Lua numbers.
-- Session hash fields: id th pth pvu pc p au am ia rm c la it ad ip ua, and "a:<name>" per attribute.
-- Series hash fields: p vh pvh pvu rc c e lu ls g.
-- The scripts of operations on many sessions (force logout, logout of everyone, listing, purge)
-- get every key they touch in KEYS: the caller reads the ids first (docs/redis.md, Phases). The
-- scripts on one session or series still build, from ARGV[1], the names of keys that record's
-- fields name (the session a token key names, its token keys, principal set, due index and moved
-- key; a series' principal set; the series a series set or the series due index lists): they lie
-- in the slot of the declared key by construction. ScriptKeysTest lists those scripts.
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

-- Returns the field/value pairs ARGV[from..] as a table.
-- Whether the session hash k exists with principal p (empty: anonymous, no 'p' field): the fence
-- that keeps a view from before a login from writing into the authenticated session.
local function seenAs(k, p)
  if redis.call('EXISTS', k) == 0 then return false end
  return (redis.call('HGET', k, 'p') or '') == p
end

local function pairsFrom(from)
  local t = {}
  for i = from, #ARGV - 1, 2 do t[ARGV[i]] = ARGV[i + 1] end
  return t
end

-- Sets the TTLs and the due entry of the session in hash k from its stored fields. The previous
-- token's key lives until the previous token's grace ends (never past the session).
local function schedule(k)
  local f = redis.call('HMGET', k, 'id', 'th', 'p', 'la', 'it', 'ad', 'pth', 'pvu')
  local la = tonumber(f[4])
  local ends = expires(la, tonumber(f[5]), tonumber(f[6]))
  local t = ttl(ends, la)
  redis.call('PEXPIRE', k, t)
  redis.call('PEXPIRE', tkey(f[2]), t)
  if f[7] then
    local graceEnd = tonumber(f[8])
    if graceEnd > ends then graceEnd = ends end
    redis.call('PEXPIRE', tkey(f[7]), ttl(graceEnd, la))
  end
  redis.call('ZADD', DUE, int(ends), member(f[1], f[6], f[3]))
  if f[3] then keepAlive(pkey(f[3]), t) end
end

-- Deletes token key tk if it still names session id.
local function dropToken(tk, id)
  if redis.call('GET', tk) == id then redis.call('DEL', tk) end
end

-- Removes what points at session id besides its hash: its token keys (current th and previous
-- pth), its principal entry, its due entry.
local function unlink(id, th, p, ad, pth)
  if th then dropToken(tkey(th), id) end
  if pth then dropToken(tkey(pth), id) end
  if p then redis.call('SREM', pkey(p), id) end
  if ad then redis.call('ZREM', DUE, member(id, ad, p)) end
end

-- Deletes series hash k (selector hash s); returns 1 if it was there.
local function dropSeries(k, s)
  local p = redis.call('HGET', k, 'p')
  if redis.call('DEL', k) == 0 then return 0 end
  if p then
    redis.call('SREM', rpkey(p), s)
    redis.call('ZREM', RDUE, seriesMember(s, p))
  end
  return 1
end
