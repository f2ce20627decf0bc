-- KEYS[1] queue key (routing only). ARGV: prefix, worker, now, lease ms, promote batch, request id ('' for none).
-- A request id seen before (the same claim sent again) answers the order it claimed then: see replay_claim.
local req = ARGV[6] or ''
return replay_claim(ARGV[1], ARGV[2], req) or claim_one(ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), true, req)
