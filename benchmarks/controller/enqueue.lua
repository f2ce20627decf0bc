-- wrk script: POST /api/v1/tasks, a realistic task, priorities spread over P0-P4.
local key = os.getenv("ADMIN_KEY")
local n = 0
request = function()
  n = n + 1
  local body = '{"type":"feature","repository_url":"https://git.example.com/acme/shop.git","branch":"main",'
    .. '"title":"Add CSV export #' .. n .. '","instructions":"Add a CSV export of orders to the admin page; keep tests green.",'
    .. '"priority":"P' .. (n % 5) .. '","permission_level":"supervised","test_command":"mvn -q test",'
    .. '"budget":{"max_turns":30,"max_cost_usd":2.5,"timeout_seconds":1800},"metadata":{"ticket":"SHOP-' .. n .. '"}}'
  return wrk.format("POST", "/api/v1/tasks",
    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
