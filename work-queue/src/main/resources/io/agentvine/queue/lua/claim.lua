-- KEYS[1] queue key (routing only). ARGV: prefix, worker, now, lease ms, promote batch.
return claim_one(ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), true)
