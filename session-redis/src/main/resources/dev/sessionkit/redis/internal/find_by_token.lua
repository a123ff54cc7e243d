-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] token key. Returns the session hash (HGETALL) of the session the key names (by its
-- current or previous token; the caller checks which), or an empty list.
local id = redis.call('GET', KEYS[1])
if not id then return {} end
return redis.call('HGETALL', skey(id))
