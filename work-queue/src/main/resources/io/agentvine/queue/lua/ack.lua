-- KEYS[1] order hash. ARGV: prefix, id, worker, token, now, claim next (1/0), lease ms, promote batch,
-- request id ('' for none).
-- The same ack sent again (request id seen: its reply was lost) answers {'ok'} again, and with claim next the
-- order that ack claimed (replay_claim) or, when it claimed none, a fresh claim.
-- Completion deletes the order: its history and result live in the controller's database (the
-- worker reports them on the lifecycle stream); the queue only keeps what is still to be done.
-- Returns {'ok'} or {'lost', state}; with claim next, after {'ok'} only, the claim reply of claim_one follows
-- (a holder whose ack is rejected has lost its order and takes nothing new on the strength of it).
local p, id, worker, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local req = ARGV[9] or ''
if req ~= '' and redis.call('EXISTS', p .. 'req:' .. req) == 1 then
  local reply = {'ok'}
  if ARGV[6] == '1' then
    local nxt = replay_claim(p, worker, req) or claim_one(p, worker, tonumber(ARGV[5]), ARGV[7], tonumber(ARGV[8]), false, req)
    for _, v in ipairs(nxt) do table.insert(reply, v) end
  end
  return reply
end
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'token', 'locked', 'ldom', 'lrepo', 'lbranch')
local reply
if holds(f[1], f[2], f[3], worker, token) then
  redis.call('ZREM', p .. 'leases', id)
  unlock(KEYS[1], f[4], f[5], f[6], f[7])
  redis.call('DEL', KEYS[1])
  reply = {'ok'}
else
  return {'lost', f[1] or 'missing'}
end
local claimed = false
if ARGV[6] == '1' then
  local nxt = claim_one(p, worker, tonumber(ARGV[5]), ARGV[7], tonumber(ARGV[8]), false, req)
  claimed = nxt[1] == 'claimed' -- claim_one recorded the request itself
  for _, v in ipairs(nxt) do table.insert(reply, v) end
end
if req ~= '' and not claimed then redis.call('SET', p .. 'req:' .. req, '-', 'PX', ARGV[7]) end
return reply
