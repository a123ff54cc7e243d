-- SPDX-License-Identifier: Apache-2.0
-- KEYS[1] series hash. Returns 1 if this call removed the series, else 0.
-- Its entries in its principal's series set and in the series due index (whose names come from
-- the series) stay until the series would have expired: the purge then removes them, and a
-- revocation drops an entry whose series is gone. Neither grants anything.
return redis.call('DEL', KEYS[1])
