-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] series hash, KEYS[2] the series due index; ARGV[3] selector hash, ARGV[4] session id.
-- Deletes the series only if ARGV[4] is its latest session. Returns 1 if this call removed it.
if redis.call('HGET', KEYS[1], 'ls') ~= ARGV[4] then return 0 end
return dropSeries(KEYS[1], ARGV[3])
