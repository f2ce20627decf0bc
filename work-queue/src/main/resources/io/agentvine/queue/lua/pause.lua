-- KEYS[1] paused flag. ARGV: prefix, '1' pause / '0' resume, events maxlen. Returns 1.
local p = ARGV[1]
if ARGV[2] == '1' then
  redis.call('SET', KEYS[1], '1')
  event(p, ARGV[3], 'paused', '')
else
  redis.call('DEL', KEYS[1])
  if queued_total(p) > 0 then wake(p) end
  event(p, ARGV[3], 'resumed', '')
end
return 1
