-- KEYS[1] order hash. ARGV: prefix, id, worker, token, now, result, finished ttl ms, events maxlen,
-- claim next (1/0), lease ms, promote batch.
-- Returns {'ok'} or {'lost', state}; with claim next, the claim reply of claim_one follows.
local p, id, worker, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = tonumber(ARGV[5])
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'token')
local reply
if holds(f[1], f[2], f[3], worker, token) then
  drop_lease(p, id, worker)
  redis.call('HSET', KEYS[1], 'result', ARGV[6])
  finish(p, KEYS[1], 'completed', now, ARGV[7])
  event(p, ARGV[8], 'completed', id)
  reply = {'ok'}
else
  reply = {'lost', f[1] or 'missing'}
end
if ARGV[9] == '1' then
  local nxt = claim_one(p, worker, now, ARGV[10], tonumber(ARGV[11]), ARGV[8])
  for _, v in ipairs(nxt) do table.insert(reply, v) end
end
return reply
