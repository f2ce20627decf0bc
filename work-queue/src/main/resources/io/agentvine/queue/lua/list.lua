-- KEYS[1] any key of the type (routing). ARGV: prefix, section ('queued' | 'delayed' | 'dead'), offset, limit.
-- A page of one section as one consistent snapshot, for operators' listings (bounded by limit):
--   queued:  the waiting orders in the order they will be claimed (high, then default, then low; FIFO
--            inside a level), the page taken across the levels as if they were one list;
--   delayed: orders waiting out a retry backoff, the soonest due first;
--   dead:    dead-lettered orders, the most recent first.
-- Returns {totals, entries...}: totals is {high, default, low} lengths for queued, {count} otherwise;
-- each entry is {id, prio, level, enqueued_at, attempts, max, error, time, level position, blocked}, where time is
-- the retry due time (delayed) or the dead-letter time (dead), '' for queued; the level position (0 =
-- next of its level) only for queued; then why a claim passes a queued order over now ('' when it does not):
-- branch_held, repository_limit or repository_paused (see lib.lua's repository locks). Fields an order's hash
-- lacks are ''.
local p, section = ARGV[1], ARGV[2]
local offset, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local out = {}
local seen = {}
local function entry(id, time, level_pos)
  local f = redis.call('HMGET', okey(p, id), 'prio', 'level', 'enqueued_at', 'attempts', 'max', 'error', 'lrepo', 'lbranch',
    'lmax', 'ldom')
  local blocked = ''
  if level_pos ~= '' and f[7] then blocked = lock_block(f[10], f[7], f[8], f[9], seen) or '' end
  return {id, f[1] or '', f[2] or '', f[3] or '', f[4] or '0', f[5] or '0', f[6] or '', time, level_pos, blocked}
end
if section == 'queued' then
  local totals = {}
  local skip = offset
  for _, level in ipairs({'high', 'default', 'low'}) do
    local key = p .. 'q:' .. level
    local n = redis.call('LLEN', key)
    totals[#totals + 1] = n
    if limit > 0 and skip < n then
      local ids = redis.call('LRANGE', key, skip, skip + limit - 1)
      for i, id in ipairs(ids) do
        out[#out + 1] = entry(id, '', tostring(skip + i - 1))
      end
      limit = limit - #ids
      skip = 0
    else
      skip = skip - n
      if skip < 0 then skip = 0 end
    end
  end
  table.insert(out, 1, totals)
  return out
end
local key = p .. section
local ids
if section == 'dead' then
  ids = redis.call('ZREVRANGE', key, offset, offset + limit - 1, 'WITHSCORES')
else
  ids = redis.call('ZRANGE', key, offset, offset + limit - 1, 'WITHSCORES')
end
for i = 1, #ids, 2 do
  out[#out + 1] = entry(ids[i], ids[i + 1], '')
end
table.insert(out, 1, {redis.call('ZCARD', key)})
return out
