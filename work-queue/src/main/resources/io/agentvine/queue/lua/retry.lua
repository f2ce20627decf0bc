-- KEYS[1] order hash. ARGV: prefix, id, now, events maxlen.
-- Operator retry of a dead, failed or cancelled order: a fresh set of attempts at the tail of its
-- queue. Returns {'ok'} or {'not_retryable', state}.
local p, id = ARGV[1], ARGV[2]
local f = redis.call('HMGET', KEYS[1], 'state', 'level')
if f[1] ~= 'dead' and f[1] ~= 'failed' and f[1] ~= 'cancelled' then return {'not_retryable', f[1] or 'missing'} end
redis.call('ZREM', p .. 'dead', id)
redis.call('PERSIST', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'queued', 'attempts', 0, 'stalls', 0, 'cancel', '0', 'enqueued_at', ARGV[3])
redis.call('HDEL', KEYS[1], 'finished_at', 'retry_at')
redis.call('RPUSH', p .. 'q:' .. f[2], id)
wake(p)
event(p, ARGV[4], 'retried', id)
return {'ok'}
