-- KEYS[1] order hash. ARGV: prefix, id, now, finished ttl ms, events maxlen.
-- Returns {'removed'} (was queued, delayed or parked: now cancelled), {'flagged'} (running: the holder sees
-- it at its next extend), {'final', state} or {'missing'}. A cancelled delayed order may leave the
-- due hint early; the next claim then finds nothing due and renews it.
local p, id, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local f = redis.call('HMGET', KEYS[1], 'state', 'level')
local state = f[1]
if not state then return {'missing'} end
if state == 'queued' or state == 'delayed' or state == 'parked' then
  redis.call('LREM', p .. 'q:' .. f[2], 1, id)
  redis.call('ZREM', p .. 'delayed', id)
  redis.call('ZREM', p .. 'parked', id)
  finish(KEYS[1], 'cancelled', now, ARGV[4])
  event(p, ARGV[5], 'cancelled', id)
  return {'removed'}
end
if state == 'running' or state == 'awaiting_approval' then
  redis.call('HSET', KEYS[1], 'cancel', '1')
  event(p, ARGV[5], 'cancel_requested', id)
  return {'flagged'}
end
return {'final', state}
