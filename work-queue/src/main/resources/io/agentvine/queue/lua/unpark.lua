-- KEYS[1] order hash. ARGV: prefix, id, payload, events maxlen.
-- A parked order's human decided: its payload (now carrying the decision) replaces the old one and the
-- order goes back to the head of its level, where any worker of the type claims it. Returns {'ok'} or
-- {'not_parked', state} ('missing' when Redis lost it: the caller enqueues it again).
local p, id = ARGV[1], ARGV[2]
local f = redis.call('HMGET', KEYS[1], 'state', 'level')
if f[1] ~= 'parked' then return {'not_parked', f[1] or 'missing'} end
redis.call('ZREM', p .. 'parked', id)
redis.call('HSET', KEYS[1], 'state', 'queued', 'payload', ARGV[3])
redis.call('HDEL', KEYS[1], 'parked_at', 'worker')
redis.call('LPUSH', p .. 'q:' .. f[2], id)
wake(p)
event(p, ARGV[4], 'unparked', id)
return {'ok'}
