-- KEYS[1] order hash. ARGV: prefix, id, where (top, up, down, bottom), events maxlen.
-- Moves a queued order inside its level (an operator's reorder): to the head (runs next in its level),
-- one place towards the head or the tail, or to the tail. Atomic: an order claimed, finished or removed
-- meanwhile is not queued any more and is refused with its state.
-- Returns {'ok', new position (0 = head), length of the level, level} or {'not_queued', state}.
local p, id, where = ARGV[1], ARGV[2], ARGV[3]
local f = redis.call('HMGET', KEYS[1], 'state', 'level')
if f[1] ~= 'queued' then return {'not_queued', f[1] or 'missing'} end
local list = p .. 'q:' .. f[2]
local pos = redis.call('LPOS', list, id)
local len = redis.call('LLEN', list)
if not pos then return {'not_queued', 'missing'} end
local to = pos
if where == 'top' then to = 0
elseif where == 'up' then to = math.max(pos - 1, 0)
elseif where == 'down' then to = math.min(pos + 1, len - 1)
elseif where == 'bottom' then to = len - 1 end
if to ~= pos then
  if where == 'up' or where == 'down' then
    -- a swap with the neighbour: two writes, whatever the length of the level
    redis.call('LSET', list, pos, redis.call('LINDEX', list, to))
    redis.call('LSET', list, to, id)
  else
    redis.call('LREM', list, 1, id)
    if to == 0 then redis.call('LPUSH', list, id) else redis.call('RPUSH', list, id) end
  end
  event(p, ARGV[4], 'moved', id, 'level', f[2], 'position', to)
end
return {'ok', to, len, f[2]}
