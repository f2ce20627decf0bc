-- KEYS[1] any key of the type (routing). ARGV: prefix.
-- Returns {high, default, low, in flight, delayed, dead, paused (0/1), budget paused (0/1)} as one consistent snapshot.
local p = ARGV[1]
return {redis.call('LLEN', p .. 'q:high'), redis.call('LLEN', p .. 'q:default'), redis.call('LLEN', p .. 'q:low'),
  redis.call('ZCARD', p .. 'leases'), redis.call('ZCARD', p .. 'delayed'), redis.call('ZCARD', p .. 'dead'),
  redis.call('HGET', p .. 'meta', 'paused') == '1' and 1 or 0,
  redis.call('HGET', p .. 'meta', 'budget') == '1' and 1 or 0}
