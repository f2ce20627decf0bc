-- KEYS[1] order hash. ARGV: prefix, id, worker, token, now, events maxlen, finished ttl ms, the holder's report of
-- the park ('' for none: kept on the order, so that the controller can adopt the park if the report is lost).
-- The holder parks its order while a human decides: out of the lease set (no sweeper recovers it, no
-- attempt is used), into the parked set until unpark.lua. Returns {'ok'}, {'cancelled'} (a cancel was
-- requested: the order ends cancelled instead) or {'lost', state}.
local p, id, worker, token, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'token', 'cancel', 'locked', 'ldom', 'lrepo', 'lbranch')
if not holds(f[1], f[2], f[3], worker, token) then return {'lost', f[1] or 'missing'} end
redis.call('ZREM', p .. 'leases', id)
unlock(KEYS[1], f[5], f[6], f[7], f[8]) -- a parked order holds no lock; its claim after unpark takes them again
if f[4] == '1' then
  finish(KEYS[1], 'cancelled', now, ARGV[7]) -- kept as long as any finished order, then gone
  event(p, ARGV[6], 'cancelled', id)
  return {'cancelled'}
end
redis.call('HSET', KEYS[1], 'state', 'parked', 'parked_at', now, 'preport', ARGV[8] or '')
redis.call('ZADD', p .. 'parked', now, id)
event(p, ARGV[6], 'parked', id)
return {'ok'}
