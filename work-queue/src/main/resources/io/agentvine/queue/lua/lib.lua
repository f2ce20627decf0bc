-- Shared by every script (prepended at load time). All keys of one worker type share the prefix
-- "{<namespace>:<type>}:" so every key a script touches hashes to one Redis Cluster slot.
-- Time never comes from Redis: the caller passes "now" in ms from its injected Clock.
-- Each redis.call costs ~1-2 us beyond the command itself, so the hot paths (enqueue, claim, ack,
-- extend) make as few calls as they can; see docs/architecture.md.

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
-- woken claimer re-arms it when it takes an order, so a burst wakes claimers one after another).
-- Two separate pauses hold a type: the operator's ('paused') and the controller's budget ('budget').
local function wake(p)
  local m = redis.call('HMGET', p .. 'meta', 'paused', 'budget')
  if m[1] ~= '1' and m[2] ~= '1' then
    redis.call('ZADD', p .. 'wake', 0, '1')
  end
end

local LEVELS = {'high', 'default', 'low'}
local HAS_LMPOP = (redis.REDIS_VERSION_NUM or 0) >= 0x070000

-- ---- repository locks (README "Repository locks") ------------------------------------------------------------
-- An order enqueued with lock fields (lrepo: its repository's key, lbranch: its work branch, lmax: how many orders
-- of that repository may run at once, '' = no limit, ldom: the lock domain's key prefix) runs only while no
-- running order holds its branch, fewer than lmax of its repository run and the repository is not paused.
-- The domain ("{<ns>:@locks}:" shared by every type; "{<ns>:<type>}:lk:" on a Cluster, where a script cannot
-- reach another slot) holds "branch:<repo>:<branch>" (the holder's order key), "run:<repo>" (the running
-- orders' keys), "paused" (paused repositories) and "waiters" (prefixes of types whose claims passed an order
-- over for a lock: the release wakes them). A claim looks past at most LOCK_SCAN orders that may not run.
local LOCK_SCAN = 1000
local CLAIM_FIELDS = {'state', 'token', 'payload', 'prio', 'attempts', 'max', 'stalls', 'lrepo', 'level', 'lbranch',
  'lmax', 'ldom'}

-- Does the order under key k still run? A lock whose holder does not (its keys deleted by hand, say) is stale: it
-- is dropped where it is found instead of holding its orders back for ever.
local function lock_holder_runs(k)
  local state = redis.call('HGET', k, 'state')
  return state == 'running' or state == 'awaiting_approval'
end

-- Why an order with these lock fields may not run now ('repository_paused', 'repository_limit', 'branch_held'),
-- or nil. seen caches what one script already read.
local function lock_block(dom, repo, branch, max, seen)
  local r = seen[repo]
  if not r then
    r = {redis.call('SISMEMBER', dom .. 'paused', repo) == 1, -1}
    seen[repo] = r
  end
  if r[1] then return 'repository_paused' end
  if max and max ~= '' then
    if r[2] < 0 then
      local rk = dom .. 'run:' .. repo
      r[2] = redis.call('SCARD', rk)
      if r[2] >= tonumber(max) then
        for _, k in ipairs(redis.call('SMEMBERS', rk)) do
          if not lock_holder_runs(k) then
            redis.call('SREM', rk, k)
            r[2] = r[2] - 1
          end
        end
      end
    end
    if r[2] >= tonumber(max) then return 'repository_limit' end
  end
  if branch and branch ~= '' then
    local bk = dom .. 'branch:' .. repo .. ':' .. branch
    if seen[bk] == nil then
      local holder = redis.call('GET', bk)
      if holder and not lock_holder_runs(holder) then
        redis.call('DEL', bk)
        holder = false
      end
      seen[bk] = holder and true or false
    end
    if seen[bk] then return 'branch_held' end
  end
  return nil
end

local function lock_wake(dom)
  for _, q in ipairs(redis.call('SMEMBERS', dom .. 'waiters')) do wake(q) end
  redis.call('DEL', dom .. 'waiters')
end

-- Releases what a running order's claim took (locked = '1'); called wherever an order stops running (ack, fail,
-- release, park, recovery). Orders passed over for these locks may run now: their claimers are woken.
local function unlock(k, locked, dom, repo, branch)
  if locked ~= '1' then return end
  redis.call('HDEL', k, 'locked')
  redis.call('SREM', dom .. 'run:' .. repo, k)
  if branch and branch ~= '' then
    local bk = dom .. 'branch:' .. repo .. ':' .. branch
    if redis.call('GET', bk) == k then redis.call('DEL', bk) end
  end
  lock_wake(dom)
end

-- The first queued order that may run, in claim order (high, default, low; FIFO within a level), taken out of its
-- list (the orders passed over keep their places); nil when none may. Registers the type as a waiter of each
-- domain whose locks held an order back.
local function lock_scan(p, seen)
  local looked, waiting = 0, {}
  local found
  for _, level in ipairs(LEVELS) do
    local key, off = p .. 'q:' .. level, 0
    while not found and looked < LOCK_SCAN do
      local n = math.min(100, LOCK_SCAN - looked)
      local ids = redis.call('LRANGE', key, off, off + n - 1)
      for _, id in ipairs(ids) do
        local o = redis.call('HMGET', okey(p, id), 'state', 'lrepo', 'lbranch', 'lmax', 'ldom')
        if o[1] == 'queued' then
          if not o[2] or not lock_block(o[5], o[2], o[3], o[4], seen) then
            redis.call('LREM', key, 1, id)
            found = id
            break
          end
          waiting[o[5]] = true
        end
        looked = looked + 1
      end
      off = off + #ids
      if #ids < n then break end
    end
    if found then break end
  end
  for dom in pairs(waiting) do redis.call('SADD', dom .. 'waiters', p) end
  return found
end

-- The popped order (f: its CLAIM_FIELDS) when it has lock fields: it if it may run, else it goes back to its place
-- and the first one behind it that may run is taken instead. Takes the chosen order's locks. Returns id, fields of
-- the order to claim, or nil. Orders without lock fields never come here: LMPOP alone stays their path.
local function lock_pick(p, id, f)
  local seen = {}
  if lock_block(f[12], f[8], f[10], f[11], seen) then
    redis.call('LPUSH', p .. 'q:' .. f[9], id)
    id = lock_scan(p, seen)
    if not id then return nil end
    f = redis.call('HMGET', okey(p, id), unpack(CLAIM_FIELDS))
  end
  if f[8] then
    local k = okey(p, id)
    redis.call('SADD', f[12] .. 'run:' .. f[8], k)
    if f[10] and f[10] ~= '' then redis.call('SET', f[12] .. 'branch:' .. f[8] .. ':' .. f[10], k) end
    redis.call('HSET', k, 'locked', '1')
  end
  return id, f
end

local function queued_total(p)
  return redis.call('LLEN', p .. 'q:high') + redis.call('LLEN', p .. 'q:default') + redis.call('LLEN', p .. 'q:low')
end

-- Is (worker, token) still the holder of a running order? Anything else is a stale holder.
local function holds(f_state, f_worker, f_token, worker, token)
  return (f_state == 'running' or f_state == 'awaiting_approval') and f_worker == worker and f_token == token
end

local function finish(k, state, now, ttl)
  redis.call('HSET', k, 'state', state, 'finished_at', now)
  if tonumber(ttl) > 0 then redis.call('PEXPIRE', k, ttl) end
end

local function dead_letter(p, k, id, now, reason, maxlen)
  redis.call('HSET', k, 'state', 'dead', 'finished_at', now, 'error', reason)
  redis.call('ZADD', p .. 'dead', now, id)
  event(p, maxlen, 'dead', id, 'reason', reason)
end

-- Schedules an order's next attempt and keeps meta.due, the earliest due time, as a hint that lets
-- claims skip looking at the delayed set until something is due. The hint may be early, never late.
local function delay(p, id, due)
  redis.call('ZADD', p .. 'delayed', due, id)
  local hint = redis.call('HGET', p .. 'meta', 'due')
  if not hint or tonumber(hint) > due then redis.call('HSET', p .. 'meta', 'due', due) end
end

-- Takes an order away from a holder that stopped (lease expired, worker declared dead) and puts it
-- at the head of its queue. An order that keeps stalling is a poison pill: dead-lettered instead.
-- Returns 'requeued', 'dead', 'cancelled' or false when the order was not running.
local function recover(p, id, now, max_stalls, why, ttl, maxlen)
  local k = okey(p, id)
  redis.call('ZREM', p .. 'leases', id)
  local f = redis.call('HMGET', k, 'state', 'cancel', 'level', 'locked', 'ldom', 'lrepo', 'lbranch')
  if f[1] ~= 'running' and f[1] ~= 'awaiting_approval' then return false end
  unlock(k, f[4], f[5], f[6], f[7])
  local stalls = redis.call('HINCRBY', k, 'stalls', 1)
  if f[2] == '1' then
    redis.call('HSET', k, 'error', 'cancelled; holder stopped (' .. why .. ')')
    finish(k, 'cancelled', now, ttl)
    event(p, maxlen, 'cancelled', id)
    return 'cancelled'
  end
  if stalls > tonumber(max_stalls) then
    dead_letter(p, k, id, now, 'stalled ' .. stalls .. ' times, last: ' .. why, maxlen)
    return 'dead'
  end
  redis.call('HSET', k, 'state', 'queued', 'error', why)
  redis.call('LPUSH', p .. 'q:' .. f[3], id)
  wake(p)
  event(p, maxlen, 'recovered', id, 'reason', why)
  return 'requeued'
end

-- Moves retries whose backoff is over back to the tail of their queue and renews the due hint.
-- Recovers every id of the list (see recover) and returns {requeued..., '|', dead-lettered..., '|', cancelled...}:
-- the reply of recover_expired and recover_worker.
local function recover_all(p, ids, now, max_stalls, why, ttl, maxlen)
  local requeued, dead, cancelled = {}, {}, {}
  for _, id in ipairs(ids) do
    local r = recover(p, id, now, max_stalls, why, ttl, maxlen)
    if r == 'requeued' then table.insert(requeued, id)
    elseif r == 'dead' then table.insert(dead, id)
    elseif r == 'cancelled' then table.insert(cancelled, id) end
  end
  table.insert(requeued, '|')
  for _, id in ipairs(dead) do table.insert(requeued, id) end
  table.insert(requeued, '|')
  for _, id in ipairs(cancelled) do table.insert(requeued, id) end
  return requeued
end

local function promote_due(p, now, batch)
  local due = redis.call('ZRANGEBYSCORE', p .. 'delayed', '-inf', now, 'LIMIT', 0, batch)
  for _, id in ipairs(due) do
    redis.call('ZREM', p .. 'delayed', id)
    local k = okey(p, id)
    local f = redis.call('HMGET', k, 'state', 'level')
    if f[1] == 'delayed' then
      redis.call('HSET', k, 'state', 'queued')
      redis.call('RPUSH', p .. 'q:' .. f[2], id)
    end
  end
  local nxt = redis.call('ZRANGE', p .. 'delayed', 0, 0, 'WITHSCORES')
  if nxt[2] then redis.call('HSET', p .. 'meta', 'due', nxt[2]) else redis.call('HDEL', p .. 'meta', 'due') end
  return nxt[2]
end

local function pop(p)
  if HAS_LMPOP then
    local r = redis.call('LMPOP', 3, p .. 'q:high', p .. 'q:default', p .. 'q:low', 'LEFT')
    if r then return r[2][1] end
    return nil
  end
  for _, level in ipairs(LEVELS) do
    local id = redis.call('LPOP', p .. 'q:' .. level)
    if id then return id end
  end
  return nil
end

-- A claim sent again with the same request id (its reply was lost to a failover or a dropped connection, and
-- the caller or Lettuce sent it again) must not take a second order: the first one would sit leased to a
-- claimer that never heard of it until its lease ran out. "req:<id>" maps the request to the order it took
-- (for as long as a lease); the order's "req" field says it is still that claim. Returns the first claim's
-- reply, or nil when there was none (or the order moved on since: then a fresh claim is right).
local function replay_claim(p, worker, req)
  if req == '' then return nil end
  local id = redis.call('GET', p .. 'req:' .. req)
  if not id or id == '-' then return nil end
  local f = redis.call('HMGET', okey(p, id), 'state', 'worker', 'token', 'payload', 'prio', 'attempts', 'max', 'stalls', 'req')
  if (f[1] == 'running' or f[1] == 'awaiting_approval') and f[2] == worker and f[9] == req then
    local deadline = redis.call('ZSCORE', p .. 'leases', id)
    return {'claimed', id, tonumber(f[3]), tonumber(deadline), f[4], f[5], f[6], f[7], f[8]}
  end
  return nil
end

-- Strict priority high > default > low, FIFO within a level; the order moves atomically into the
-- lease set with a deadline and a new fencing token. The hot path: six redis.calls when nothing is
-- due (five for a claim that follows an ack), no event (the worker reports "started" itself).
-- rearm: re-arm the wake-up marker. A standalone claim must (it may be the claimer a marker woke,
-- and other idle claimers wait behind it); a claim riding on an ack need not, because a marker is
-- only ever consumed by a blocked claimer, whose own claim re-arms it.
-- req: the caller's id for this request ('' for none): see replay_claim.
-- Returns {'claimed', id, token, lease_until, payload, prio, attempts, max, stalls},
-- {'paused'} or {'empty', next_due_ms_or_''}.
local function claim_one(p, worker, now, lease_ms, batch, rearm, req)
  local meta = redis.call('HMGET', p .. 'meta', 'paused', 'due', 'budget')
  if meta[1] == '1' or meta[3] == '1' then return {'paused'} end
  local due = meta[2]
  if due and now >= tonumber(due) then due = promote_due(p, now, batch) end
  local id = pop(p)
  while id do
    local k = okey(p, id)
    local f = redis.call('HMGET', k, unpack(CLAIM_FIELDS))
    if f[1] == 'queued' and f[8] then
      id, f = lock_pick(p, id, f)
      if not id then break end
      k = okey(p, id)
    end
    if f[1] == 'queued' then
      local token = tonumber(f[2]) + 1
      local deadline = now + tonumber(lease_ms)
      redis.call('HSET', k, 'state', 'running', 'worker', worker, 'token', token, 'claimed_at', now, 'req', req)
      if req ~= '' then redis.call('SET', p .. 'req:' .. req, id, 'PX', lease_ms) end
      redis.call('ZADD', p .. 'leases', deadline, id)
      -- Maybe more work: re-arm the wake-up so that the next idle claimer looks. When the queue is
      -- in fact empty that claimer finds nothing and clears the marker: one spare round trip, paid
      -- only when claimers are idle anyway.
      if rearm then redis.call('ZADD', p .. 'wake', 0, '1') end
      return {'claimed', id, token, deadline, f[3], f[4], f[5], f[6], f[7]}
    end
    -- An id whose order is gone or not queued (removed, or already moved) is skipped, never claimed.
    id = pop(p)
  end
  redis.call('DEL', p .. 'wake')
  return {'empty', due or ''}
end
