-- KEYS[1] order hash. ARGV: prefix, id, worker, token, now, claim next (1/0), lease ms, promote batch.
-- Completion deletes the order: its history and result live in the controller's database (the
-- worker reports them on the lifecycle stream); the queue only keeps what is still to be done.
-- Returns {'ok'} or {'lost', state}; with claim next, after {'ok'} only, the claim reply of claim_one follows
-- (a holder whose ack is rejected has lost its order and takes nothing new on the strength of it).
local p, id, worker, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'token')
local reply
if holds(f[1], f[2], f[3], worker, token) then
  redis.call('ZREM', p .. 'leases', id)
  redis.call('DEL', KEYS[1])
  reply = {'ok'}
else
  reply = {'lost', f[1] or 'missing'}
end
if ARGV[6] == '1' and reply[1] == 'ok' then
  local nxt = claim_one(p, worker, tonumber(ARGV[5]), ARGV[7], tonumber(ARGV[8]), false)
  for _, v in ipairs(nxt) do table.insert(reply, v) end
end
return reply
