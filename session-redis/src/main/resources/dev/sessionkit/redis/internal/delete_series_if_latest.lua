-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] series hash; ARGV[3] session id.
-- Deletes the series only if ARGV[3] is its latest session. Returns 1 if this call removed it,
-- else 0. Its index entries stay as delete_series says.
if redis.call('HGET', KEYS[1], 'ls') ~= ARGV[3] then return 0 end
return redis.call('DEL', KEYS[1])
