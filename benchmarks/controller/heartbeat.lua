-- wrk script: heartbeats from many simulated workers (ids in workers.txt, one per line).
local ids = {}
local key = os.getenv("WORKER_KEY")
for line in io.lines(os.getenv("WORKERS_FILE")) do ids[#ids + 1] = line end
local n = 0
request = function()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  local body = '{"worker_id":"' .. id .. '","status":"busy","sent_at":"2026-11-22T22:00:00Z",'
    .. '"current_tasks":[{"work_order_id":"t-' .. id .. '","type":"feature","started_at":"2026-11-22T21:59:00Z","attempt":1}],'
    .. '"metrics":{"cpu_percent":42.5,"memory_used_bytes":734003200,"memory_total_bytes":2147483648,'
    .. '"disk_used_bytes":1073741824,"disk_free_bytes":9663676416,"load_average":0.8,"uptime_seconds":3600},'
    .. '"metadata":{"agent":"claude-code","zone":"eu-1"}}'
  return wrk.format("POST", "/api/v1/workers/" .. id .. "/heartbeat",
    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
