-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] series hash, KEYS[2] the series due index; ARGV[3] selector hash.
-- Returns 1 if this call removed the series, else 0.
return dropSeries(KEYS[1], ARGV[3])
