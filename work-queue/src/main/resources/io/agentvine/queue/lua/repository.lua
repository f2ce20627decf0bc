-- KEYS[1] the lock domain's paused set. ARGV: lock domain prefix, repository key, '1' pause / '0' resume.
-- A paused repository's orders stay queued in their places; claims pass them over until it resumes (see lib.lua's
-- repository locks). Running orders run on. Returns 1 when this changed the repository's state, else 0.
local dom, repo = ARGV[1], ARGV[2]
if ARGV[3] == '1' then return {redis.call('SADD', KEYS[1], repo)} end
local changed = redis.call('SREM', KEYS[1], repo)
if changed == 1 then lock_wake(dom) end
return {changed}
