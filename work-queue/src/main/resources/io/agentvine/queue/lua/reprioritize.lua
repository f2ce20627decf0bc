-- KEYS[1] order hash. ARGV: prefix, id, prio, level, events maxlen.
-- Moves a queued order to the tail of its new level (a delayed one just gets the new level).
-- Returns {'ok'} or {'not_queued', state}.
local p, id, prio, level = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local f = redis.call('HMGET', KEYS[1], 'state', 'level')
if f[1] == 'queued' then
  if f[2] ~= level then
    redis.call('LREM', p .. 'q:' .. f[2], 1, id)
    redis.call('RPUSH', p .. 'q:' .. level, id)
  end
elseif f[1] ~= 'delayed' then
  return {'not_queued', f[1] or 'missing'}
end
redis.call('HSET', KEYS[1], 'prio', prio, 'level', level)
wake(p)
event(p, ARGV[5], 'reprioritized', id, 'level', level)
return {'ok'}
