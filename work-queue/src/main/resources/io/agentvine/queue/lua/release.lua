-- KEYS[1] order hash. ARGV: prefix, id, worker, token, now, events maxlen.
-- Graceful hand-back: to the head of its queue, no attempt used. Returns {'ok'} or {'lost', state}.
local p, id, worker, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'token', 'level', 'cancel', 'locked', 'ldom', 'lrepo', 'lbranch')
if not holds(f[1], f[2], f[3], worker, token) then return {'lost', f[1] or 'missing'} end
redis.call('ZREM', p .. 'leases', id)
unlock(KEYS[1], f[6], f[7], f[8], f[9])
if f[5] == '1' then
  finish(KEYS[1], 'cancelled', tonumber(ARGV[5]), 0)
  event(p, ARGV[6], 'cancelled', id)
  return {'cancelled'}
end
redis.call('HSET', KEYS[1], 'state', 'queued')
redis.call('LPUSH', p .. 'q:' .. f[4], id)
wake(p)
event(p, ARGV[6], 'released', id)
return {'ok'}
