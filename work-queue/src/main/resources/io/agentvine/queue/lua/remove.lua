-- KEYS[1] order hash. ARGV: prefix, id, events maxlen.
-- Deletes an order that no worker holds (queued, delayed, parked, dead or finished), with its idempotency
-- key. Returns {'removed'}, {'running'} (refused: cancel it instead) or {'missing'}.
local p, id = ARGV[1], ARGV[2]
local f = redis.call('HMGET', KEYS[1], 'state', 'level', 'idem')
if not f[1] then return {'missing'} end
if f[1] == 'running' or f[1] == 'awaiting_approval' then return {'running'} end
redis.call('LREM', p .. 'q:' .. f[2], 1, id)
redis.call('ZREM', p .. 'delayed', id)
redis.call('ZREM', p .. 'dead', id)
redis.call('ZREM', p .. 'parked', id)
if f[3] and f[3] ~= '' and redis.call('GET', p .. 'idem:' .. f[3]) == id then
  redis.call('DEL', p .. 'idem:' .. f[3])
end
redis.call('DEL', KEYS[1])
event(p, ARGV[3], 'removed', id)
return {'removed'}
