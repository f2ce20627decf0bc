-- KEYS[1] the lease set. ARGV: prefix, worker, now, max stalls, finished ttl ms, events maxlen.
-- Everything the named worker holds goes back (the controller declared the worker dead). Finds the
-- worker's orders by walking the lease set: O(orders in flight of this type), a rare operation, which
-- spares every claim and ack the upkeep of a per-worker set.
-- Returns the same shape as recover_expired.
local p, worker, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local requeued, dead, cancelled = {}, {}, {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('HGET', okey(p, id), 'worker') == worker then
    local r = recover(p, id, now, ARGV[4], 'worker ' .. worker .. ' declared dead', ARGV[5], ARGV[6])
    if r == 'requeued' then table.insert(requeued, id)
    elseif r == 'dead' then table.insert(dead, id)
    elseif r == 'cancelled' then table.insert(cancelled, id) end
  end
end
local out = requeued
table.insert(out, '|')
for _, id in ipairs(dead) do table.insert(out, id) end
table.insert(out, '|')
for _, id in ipairs(cancelled) do table.insert(out, id) end
return out
