-- KEYS[1] order hash. ARGV: prefix, id, worker, token, now, reason, disposition ('retry' | 'fail' |
-- 'dead'), retry delay ms, finished ttl ms, events maxlen.
-- Returns {'delayed', due, attempts}, {'failed', attempts}, {'dead', attempts}, {'cancelled', attempts}
-- or {'lost', state}. A cancel requested while running wins over any disposition.
local p, id, worker, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now, reason, disposition = tonumber(ARGV[5]), ARGV[6], ARGV[7]
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'token', 'cancel', 'max', 'locked', 'ldom', 'lrepo', 'lbranch')
if not holds(f[1], f[2], f[3], worker, token) then return {'lost', f[1] or 'missing'} end
redis.call('ZREM', p .. 'leases', id)
unlock(KEYS[1], f[6], f[7], f[8], f[9])
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'error', reason)
if f[4] == '1' then
  finish(KEYS[1], 'cancelled', now, ARGV[9])
  event(p, ARGV[10], 'cancelled', id)
  return {'cancelled', attempts}
end
if disposition == 'retry' and attempts < tonumber(f[5]) then
  local due = now + tonumber(ARGV[8])
  redis.call('HSET', KEYS[1], 'state', 'delayed', 'retry_at', due)
  delay(p, id, due)
  event(p, ARGV[10], 'retry_scheduled', id, 'due', due, 'reason', reason)
  return {'delayed', due, attempts}
end
if disposition == 'fail' then
  finish(KEYS[1], 'failed', now, ARGV[9])
  event(p, ARGV[10], 'failed', id, 'reason', reason)
  return {'failed', attempts}
end
if disposition == 'retry' then reason = 'gave up after ' .. attempts .. ' attempts: ' .. reason end
dead_letter(p, KEYS[1], id, now, reason, ARGV[10])
return {'dead', attempts}
