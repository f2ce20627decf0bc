-- KEYS[1] order hash. ARGV: prefix, id, payload, prio, level, idempotency key ('' = none),
-- idempotency ttl ms, max attempts, now, events maxlen (unused), and the lock fields (see lib.lua's repository
-- locks): repository key ('' = no locks), work branch, limit ('' = none), lock domain prefix. Writes no event: the enqueuer knows, and this is a hot path.
-- Returns {1, id} created, {0, existing id} duplicate idempotency key, {-1, id} id already taken.
local p, id = ARGV[1], ARGV[2]
local idem = ARGV[6]
if idem ~= '' then
  local existing = redis.call('GET', p .. 'idem:' .. idem)
  if existing then return {0, existing} end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {-1, id} end
redis.call('HSET', KEYS[1], 'payload', ARGV[3], 'state', 'queued', 'prio', ARGV[4], 'level', ARGV[5],
  'attempts', 0, 'max', ARGV[8], 'stalls', 0, 'token', 0, 'enqueued_at', ARGV[9], 'idem', idem)
if ARGV[11] and ARGV[11] ~= '' then
  redis.call('HSET', KEYS[1], 'lrepo', ARGV[11], 'lbranch', ARGV[12], 'lmax', ARGV[13], 'ldom', ARGV[14])
end
redis.call('RPUSH', p .. 'q:' .. ARGV[5], id)
if idem ~= '' then redis.call('SET', p .. 'idem:' .. idem, id, 'PX', ARGV[7]) end
wake(p)
return {1, id}
