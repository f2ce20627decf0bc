-- KEYS[1] the type's meta hash. ARGV: prefix, '1' pause / '0' resume, events maxlen, field: 'paused' (the
-- operator's pause) or 'budget' (the controller's budget pause). Each field is set and cleared on its own:
-- resuming one never lifts the other (wake() and claim_one() look at both). Returns 1.
local p = ARGV[1]
local field = ARGV[4]
local prefix = field == 'budget' and 'budget_' or ''
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], field, '1')
  event(p, ARGV[3], prefix .. 'paused', '')
else
  redis.call('HDEL', KEYS[1], field)
  if queued_total(p) > 0 then wake(p) end
  event(p, ARGV[3], prefix .. 'resumed', '')
end
return 1
