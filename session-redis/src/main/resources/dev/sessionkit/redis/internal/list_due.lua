-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] the due index, KEYS[2] the series due index. Returns {every entry of the first, every
-- entry of the second}, read in one step: the first phase of a logout of everyone in this bucket,
-- which learns from them the principals whose generations the second phase (raise_generations)
-- raises.
return {redis.call('ZRANGE', KEYS[1], 0, -1), redis.call('ZRANGE', KEYS[2], 0, -1)}
