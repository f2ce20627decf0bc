-- KEYS[1] lease set. ARGV: prefix, now, batch, max stalls, finished ttl ms, events maxlen.
-- Returns {requeued ids..., '|', dead-lettered ids..., '|', cancelled ids...}.
local p, now = ARGV[1], tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
return recover_all(p, ids, now, ARGV[4], 'lease expired', ARGV[5], ARGV[6])
