-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] token key. Returns the session hash (HGETALL) of the session the key names (by its
-- current or previous token; the caller checks which), an empty list, or {'>', id} when the
-- session moved to another bucket (the caller reads it there).
local id = redis.call('GET', KEYS[1])
if not id then return {} end
if not isLocal(id) then return {'>', id} end
return redis.call('HGETALL', skey(id))
