-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] token key. Returns the session hash (HGETALL) of the session the key names (by its
-- current or previous token; the caller checks which), an empty list, or {'>', id} when the
-- session moved to another bucket (the caller reads it there). It reads the session hash, which
-- is not in KEYS (its id is in no cookie), and writes nothing.
local id = redis.call('GET', KEYS[1])
if not id then return {} end
if not isLocal(id) then return {'>', id} end
local key = skey(id)
return redis.call('HGETALL', key)
