-- KEYS[1] order hash. ARGV: prefix, id, worker, token, now, lease ms.
-- Returns {'ok', lease_until}, {'cancel', lease_until} (holder must stop) or {'lost', state}.
local p, id, worker, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'token', 'cancel')
if not holds(f[1], f[2], f[3], worker, token) then return {'lost', f[1] or 'missing'} end
local deadline = tonumber(ARGV[5]) + tonumber(ARGV[6])
redis.call('ZADD', p .. 'leases', deadline, id)
if f[4] == '1' then return {'cancel', deadline} end
return {'ok', deadline}
