-- KEYS[1] the lease set. ARGV: prefix, worker, now, max stalls, finished ttl ms, events maxlen.
-- Everything the named worker holds goes back (the controller declared the worker dead). Finds the
-- worker's orders by walking the lease set: O(orders in flight of this type), a rare operation, which
-- spares every claim and ack the upkeep of a per-worker set.
-- Returns the same shape as recover_expired.
local p, worker, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local held = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('HGET', okey(p, id), 'worker') == worker then table.insert(held, id) end
end
return recover_all(p, held, now, ARGV[4], 'worker ' .. worker .. ' declared dead', ARGV[5], ARGV[6])
