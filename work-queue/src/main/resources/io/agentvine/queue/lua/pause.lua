-- KEYS[1] the type's meta hash. ARGV: prefix, '1' pause / '0' resume, events maxlen. Returns 1.
local p = ARGV[1]
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'paused', '1')
  event(p, ARGV[3], 'paused', '')
else
  redis.call('HDEL', KEYS[1], 'paused')
  if queued_total(p) > 0 then wake(p) end
  event(p, ARGV[3], 'resumed', '')
end
return 1
