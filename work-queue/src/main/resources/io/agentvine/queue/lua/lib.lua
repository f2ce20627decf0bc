-- Shared by every script (prepended at load time). All keys of one worker type share the prefix
-- "{<namespace>:<type>}:" so every key a script touches hashes to one Redis Cluster slot.
-- Time never comes from Redis: the caller passes "now" in ms from its injected Clock.

local function okey(p, id) return p .. 'o:' .. id end

local function event(p, maxlen, name, id, k1, v1, k2, v2)
  if tonumber(maxlen) <= 0 then return end
  if k2 then
    redis.call('XADD', p .. 'events', 'MAXLEN', '~', maxlen, '*', 'event', name, 'id', id, k1, v1, k2, v2)
  elseif k1 then
    redis.call('XADD', p .. 'events', 'MAXLEN', '~', maxlen, '*', 'event', name, 'id', id, k1, v1)
  else
    redis.call('XADD', p .. 'events', 'MAXLEN', '~', maxlen, '*', 'event', name, 'id', id)
  end
end

-- Wakes one idle claimer blocked on BZPOPMIN (a single-member marker: one wake per signal; the
-- woken claimer re-arms it when more work is left, so a burst wakes claimers one after another).
local function wake(p)
  if redis.call('EXISTS', p .. 'paused') == 0 then
    redis.call('ZADD', p .. 'wake', 0, '1')
  end
end

local LEVELS = {'high', 'default', 'low'}

local function queued_total(p)
  return redis.call('LLEN', p .. 'q:high') + redis.call('LLEN', p .. 'q:default') + redis.call('LLEN', p .. 'q:low')
end

-- Is (worker, token) still the holder of a running order? Anything else is a stale holder.
local function holds(f_state, f_worker, f_token, worker, token)
  return (f_state == 'running' or f_state == 'awaiting_approval') and f_worker == worker and f_token == token
end

local function drop_lease(p, id, worker)
  redis.call('ZREM', p .. 'leases', id)
  if worker then redis.call('SREM', p .. 'w:' .. worker, id) end
end

local function finish(p, k, state, now, ttl)
  redis.call('HSET', k, 'state', state, 'finished_at', now)
  redis.call('HDEL', k, 'lease_until')
  if tonumber(ttl) > 0 then redis.call('PEXPIRE', k, ttl) end
end

local function dead_letter(p, k, id, now, reason, maxlen)
  redis.call('HSET', k, 'state', 'dead', 'finished_at', now, 'error', reason)
  redis.call('HDEL', k, 'lease_until')
  redis.call('ZADD', p .. 'dead', now, id)
  event(p, maxlen, 'dead', id, 'reason', reason)
end

-- Takes an order away from a holder that stopped (lease expired, worker declared dead) and puts it
-- at the head of its queue. An order that keeps stalling is a poison pill: dead-lettered instead.
-- Returns 'requeued', 'dead', 'cancelled' or false when the order was not running.
local function recover(p, id, now, max_stalls, why, ttl, maxlen)
  local k = okey(p, id)
  local f = redis.call('HMGET', k, 'state', 'worker', 'cancel', 'level')
  drop_lease(p, id, f[2])
  if f[1] ~= 'running' and f[1] ~= 'awaiting_approval' then return false end
  local stalls = redis.call('HINCRBY', k, 'stalls', 1)
  if f[3] == '1' then
    redis.call('HSET', k, 'error', 'cancelled; holder stopped (' .. why .. ')')
    finish(p, k, 'cancelled', now, ttl)
    event(p, maxlen, 'cancelled', id)
    return 'cancelled'
  end
  if stalls > tonumber(max_stalls) then
    dead_letter(p, k, id, now, 'stalled ' .. stalls .. ' times, last: ' .. why, maxlen)
    return 'dead'
  end
  redis.call('HSET', k, 'state', 'queued', 'error', why)
  redis.call('HDEL', k, 'lease_until')
  redis.call('LPUSH', p .. 'q:' .. f[4], id)
  wake(p)
  event(p, maxlen, 'recovered', id, 'reason', why)
  return 'requeued'
end

-- Moves retries whose backoff is over back to the tail of their queue.
local function promote_due(p, now, batch)
  local due = redis.call('ZRANGEBYSCORE', p .. 'delayed', '-inf', now, 'LIMIT', 0, batch)
  for _, id in ipairs(due) do
    redis.call('ZREM', p .. 'delayed', id)
    local k = okey(p, id)
    local level = redis.call('HGET', k, 'level')
    if level and redis.call('HGET', k, 'state') == 'delayed' then
      redis.call('HSET', k, 'state', 'queued')
      redis.call('RPUSH', p .. 'q:' .. level, id)
    end
  end
end

-- Strict priority high > default > low, FIFO within a level; the order moves atomically into the
-- claimer's in-flight set with a lease deadline and a new fencing token.
-- Returns {'claimed', id, token, lease_until, payload, prio, attempts, max, stalls},
-- {'paused'} or {'empty', next_due_ms_or_''}.
local function claim_one(p, worker, now, lease_ms, batch, maxlen)
  promote_due(p, now, batch)
  if redis.call('EXISTS', p .. 'paused') == 1 then return {'paused'} end
  for _, level in ipairs(LEVELS) do
    local q = p .. 'q:' .. level
    local id = redis.call('LPOP', q)
    while id do
      local k = okey(p, id)
      if redis.call('HGET', k, 'state') == 'queued' then
        local token = redis.call('HINCRBY', k, 'token', 1)
        local deadline = now + tonumber(lease_ms)
        redis.call('HSET', k, 'state', 'running', 'worker', worker, 'lease_until', deadline, 'claimed_at', now)
        redis.call('ZADD', p .. 'leases', deadline, id)
        redis.call('SADD', p .. 'w:' .. worker, id)
        if queued_total(p) > 0 then wake(p) else redis.call('DEL', p .. 'wake') end
        event(p, maxlen, 'claimed', id, 'worker', worker, 'token', token)
        local f = redis.call('HMGET', k, 'payload', 'prio', 'attempts', 'max', 'stalls')
        return {'claimed', id, token, deadline, f[1], f[2], f[3], f[4], f[5]}
      end
      -- An id whose order is gone or not queued (removed, or already moved) is skipped, never claimed.
      id = redis.call('LPOP', q)
    end
  end
  redis.call('DEL', p .. 'wake')
  local nxt = redis.call('ZRANGE', p .. 'delayed', 0, 0, 'WITHSCORES')
  return {'empty', nxt[2] or ''}
end
