-- KEYS[1] lease set. ARGV: prefix, now, batch, max stalls, finished ttl ms, events maxlen.
-- Returns {requeued ids..., '|', dead-lettered ids..., '|', cancelled ids...}.
local p, now = ARGV[1], tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local requeued, dead, cancelled = {}, {}, {}
for _, id in ipairs(ids) do
  local r = recover(p, id, now, ARGV[4], 'lease expired', ARGV[5], ARGV[6])
  if r == 'requeued' then table.insert(requeued, id)
  elseif r == 'dead' then table.insert(dead, id)
  elseif r == 'cancelled' then table.insert(cancelled, id) end
end
local out = requeued
table.insert(out, '|')
for _, id in ipairs(dead) do table.insert(out, id) end
table.insert(out, '|')
for _, id in ipairs(cancelled) do table.insert(out, id) end
return out
