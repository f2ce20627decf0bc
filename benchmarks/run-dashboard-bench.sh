#!/usr/bin/env bash
# Dashboard benchmarks (issue #17; not tests), against the controller's runnable jar on PostgreSQL (a fresh schema,
# dropped at the end) and Redis (a key namespace of its own), loopback only. JSON lines on stdout, a summary table at
# the end (stderr carries progress). Three scenarios (ONLY="livelog cpu" runs those):
#   pages   - 100,000 tasks in PostgreSQL; GET /ui/tasks (first page, filtered, text search, deep page by number and
#             by cursor) and
#             /ui/tasks/{id} (5 attempts) with a signed-in session cookie: N requests each after warm-up, p50/p99
#   livelog - LINES log lines at RATE/s written through the worker's LogShipper, seen arriving in headless chromium
#             on the task page (Selenium); p50/p99 from the write instant to the line in the page's DOM
#   cpu     - the controller's CPU over DURATION s at ~20 events/s, 0 dashboards vs CLIENTS Fleet pages, ROUNDS times;
#             EVENTS=cancel (default: tasks queued and cancelled, no worker's business) or runs (the simulated workers
#             claim, start, step and complete tasks: three of four events concern the Fleet page); WARMUP_S (30) of
#             events, then as long with the dashboards open, before round 1 (WARMUP_CYCLES times: 1); each window
#             also reports what the controller's JIT did in it (jstat -compiler: methods compiled, invalidated, ms)
#
#   benchmarks/run-dashboard-bench.sh
#   env: PG_URL (jdbc:postgresql://127.0.0.1:5432/test), PG_USER (postgres), PG_PASSWORD (postgres),
#        REDIS_URL (redis://127.0.0.1:6379), TASKS (100000), N (500), LINES (500), RATE (20),
#        CLIENTS (50), DURATION (60), ROUNDS (3), SETTLE_S (5: after the dashboards open or close, before a window), ONLY, JFR (a file: record the controller with JDK Flight Recorder),
#        WORKERS (10 simulated workers registered, so the Fleet page has cards to render),
#        MVNW_FLAGS (e.g. -o), KEEP_LOGS (a directory for the controller's log),
#        CONTROLLER_JAR (run this controller jar instead of the one just built: before/after comparisons),
#        SKIP_BUILD (1: use what an earlier build left in target/), JFR_SETTINGS (default),
#        PAGE_CASES (e.g. "cursor,rare": only the page cases whose name contains one of these)
set -euo pipefail
cd "$(dirname "$0")/.."
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}"; PG_USER="${PG_USER:-postgres}"; PG_PASSWORD="${PG_PASSWORD:-postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"; TASKS="${TASKS:-100000}"; WORKERS="${WORKERS:-10}"; ONLY="${ONLY:-}"
for tool in java curl psql redis-cli; do command -v "$tool" >/dev/null || { echo "run-dashboard-bench: '$tool' is needed (apt-get install curl postgresql-client redis-tools)" >&2; exit 2; }; done

RUN="dash$(date +%s)"
PORT="${PORT:-18191}"; B="http://127.0.0.1:$PORT"; ADMIN_KEY="bench-admin-$RUN"; WORKER_KEY="bench-worker-$RUN"
PSQL_URL="postgresql://$PG_USER:$PG_PASSWORD@${PG_URL#jdbc:postgresql://}"
WORK="$(mktemp -d)"; PID=""; OUT="$WORK/out.jsonl"
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; fi
  psql "$PSQL_URL" -q -c "DROP SCHEMA IF EXISTS $RUN CASCADE" >/dev/null 2>&1 || true
  redis-cli -u "$REDIS_URL" --scan --pattern "{$RUN:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$RUN:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
  if [ -n "${KEEP_LOGS:-}" ]; then cp "$WORK/controller.log" "$KEEP_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building..." >&2
# MVNW_FLAGS=-o builds offline (a machine whose local repository already has everything); SKIP_BUILD=1: built already
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q ${MVNW_FLAGS:-} -pl controller,benchmarks -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/classpath.txt >&2
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JAR="${CONTROLLER_JAR:-$(ls controller/target/controller-*-all.jar | head -1)}"

echo "starting the controller on PostgreSQL (schema $RUN), Redis namespace $RUN..." >&2
JFR_OPT=(); [ -n "${JFR:-}" ] && JFR_OPT=("-XX:StartFlightRecording=filename=$JFR,settings=${JFR_SETTINGS:-default}")
DATASOURCES_DEFAULT_URL="$PG_URL?currentSchema=$RUN" DATASOURCES_DEFAULT_USERNAME="$PG_USER" \
DATASOURCES_DEFAULT_PASSWORD="$PG_PASSWORD" DATASOURCES_DEFAULT_DRIVER_CLASS_NAME=org.postgresql.Driver \
FLYWAY_DATASOURCES_DEFAULT_DEFAULT_SCHEMA="$RUN" FLYWAY_DATASOURCES_DEFAULT_SCHEMAS="$RUN" \
DATASOURCES_DEFAULT_MAXIMUM_POOL_SIZE=16 \
AGENTVINE_PORT=$PORT REDIS_URL="$REDIS_URL" AGENTVINE_QUEUE_NAMESPACE="$RUN" AGENTVINE_ADMIN_KEYS="$ADMIN_KEY" \
AGENTVINE_WORKER_KEYS="bench:$WORKER_KEY:*" \
  java -Xmx512m -XX:+UseParallelGC "${JFR_OPT[@]}" -jar "$JAR" > "$WORK/controller.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do curl -sf "$B/health" >/dev/null && break; sleep 0.5; done
curl -sf "$B/health" >/dev/null || { echo "controller did not start:" >&2; tail -20 "$WORK/controller.log" >&2; exit 1; }

echo "registering $WORKERS simulated workers..." >&2
for i in $(seq 1 "$WORKERS"); do
  curl -sf -X POST "$B/api/v1/workers" -H "Authorization: Bearer $WORKER_KEY" -H 'Content-Type: application/json' \
    -d "{\"name\":\"sim-$i\",\"worker_types\":[\"feature\",\"bugfix\"],\"version\":\"bench\",\"max_concurrent_tasks\":2}" >/dev/null
done

# One real task through the API: its work order is the template of the generated ones.
TEMPLATE=$(curl -sf -X POST "$B/api/v1/tasks" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"type":"feature","repository_url":"https://git.example.com/acme/shop.git","branch":"main","title":"Template task",
       "instructions":"Add a CSV export of orders to the admin page; keep tests green.","priority":"P2",
       "permission_level":"supervised","test_command":"mvn -q test","budget":{"max_turns":30,"max_cost_usd":2.5,"timeout_seconds":1800}}' \
  | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -sf -X DELETE "$B/api/v1/tasks/$TEMPLATE" -H "Authorization: Bearer $ADMIN_KEY" >/dev/null

echo "filling PostgreSQL: $TASKS tasks, their attempts and events..." >&2
T0=$(date +%s.%N)
psql "$PSQL_URL" -v ON_ERROR_STOP=1 -q <<SQL
SET search_path TO $RUN;
INSERT INTO tasks (id, type, state, priority, queue_level, repository_url, branch, title, permission_level, model_tier, model,
  routing_reason, estimated_cost_usd, idempotency_key, work_order, worker_id, attempts, result, error, input_tokens,
  output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd, created_at, updated_at, started_at, finished_at, step, step_since)
SELECT 't-bench-' || lpad(g::text, 7, '0'),
  (ARRAY['feature','bugfix','test','docs','refactor'])[1 + g % 5],
  s.state,
  'P' || (g % 5), (ARRAY['high','high','default','low','low'])[1 + g % 5],
  'https://git.example.com/team' || (g % 50) || '/repo' || (g % 50) || '.git', 'main',
  CASE WHEN g % 10000 = 7 THEN 'Teach the zebra crossing detector #' || g
       ELSE (ARRAY['Add CSV export of orders #','Fix flaky login test #','Refactor the billing module #',
                   'Document the REST API #','Speed up the search index #','Upgrade the logging library #'])[1 + g % 6] || g END,
  t.permission_level, t.model_tier, t.model, t.routing_reason, t.estimated_cost_usd, NULL,
  replace(t.work_order, '$TEMPLATE', 't-bench-' || lpad(g::text, 7, '0')),
  CASE WHEN s.state IN ('queued','delayed') THEN NULL ELSE 'w-bench-' || (g % 20) END,
  CASE WHEN s.state IN ('queued','delayed') THEN 0 ELSE 1 END,
  CASE WHEN s.state = 'completed' THEN '{"summary":"done","tests":{"ran":true,"passed":true,"output_tail":"OK"}}' END,
  CASE WHEN s.state IN ('failed','dead') THEN 'agent_error: the agent exited with 1' END,
  1000 + g % 5000, 200 + g % 900, 0, 0, (g % 100) / 100.0,
  now() - g * interval '10 seconds', now() - g * interval '10 seconds',
  CASE WHEN s.state IN ('queued','delayed') THEN NULL ELSE now() - g * interval '10 seconds' + interval '2 seconds' END,
  CASE WHEN s.state IN ('completed','failed','dead','cancelled') THEN now() - g * interval '10 seconds' + interval '90 seconds' END,
  NULL, NULL
FROM generate_series(1, $TASKS) g
CROSS JOIN LATERAL (SELECT (ARRAY['completed','completed','completed','failed','cancelled','dead','queued','delayed',
                                  'completed','failed','running','awaiting_approval'])[1 + (g * 7) % 12] AS state) s
CROSS JOIN (SELECT * FROM tasks WHERE id = '$TEMPLATE') t;
INSERT INTO task_attempts (task_id, attempt, worker_id, model, started_at, ended_at, outcome, reason, result,
  input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd,
  task_type, repository_url, model_tier, task_model, task_state, task_created_at, reported_at)
SELECT id, 1, worker_id, model, started_at, finished_at,
  CASE state WHEN 'completed' THEN 'completed' WHEN 'failed' THEN 'failed' WHEN 'dead' THEN 'failed' WHEN 'cancelled' THEN 'cancelled' END,
  error, result, input_tokens, output_tokens, 0, 0, cost_usd,
  type, repository_url, model_tier, model, state, created_at, COALESCE(started_at, finished_at)
FROM tasks WHERE attempts = 1 AND id LIKE 't-bench-%';
INSERT INTO events (type, task_id, worker_id, payload, created_at)
SELECT 'task_queued', id, NULL, '{"task_id":"' || id || '"}', created_at FROM tasks WHERE id LIKE 't-bench-%';
-- the task page's case: a failed task with 5 attempts (4 failed retries, the 5th failed too)
UPDATE tasks SET state = 'failed', attempts = 5, error = 'agent_error: the agent exited with 1' WHERE id = 't-bench-0000100';
DELETE FROM task_attempts WHERE task_id = 't-bench-0000100';
INSERT INTO task_attempts (task_id, attempt, worker_id, model, started_at, ended_at, outcome, reason, result,
  input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd,
  task_type, repository_url, model_tier, task_model, task_state, task_created_at, reported_at)
SELECT 't-bench-0000100', a, 'w-bench-' || a, 'claude-sonnet', now() - (6 - a) * interval '5 minutes',
  now() - (6 - a) * interval '5 minutes' + interval '3 minutes', 'failed', 'agent_error: the agent exited with 1',
  '{"summary":"tests failed","tests":{"ran":true,"passed":false,"output_tail":"FAIL: 3 of 120"}}', 12000, 3400, 0, 0, 0.42,
  t.type, t.repository_url, t.model_tier, t.model, t.state, t.created_at, now() - (6 - a) * interval '5 minutes'
FROM generate_series(1, 5) a, tasks t WHERE t.id = 't-bench-0000100';
-- the live-log case: a running task in its first attempt
UPDATE tasks SET state = 'running', attempts = 1, worker_id = 'w-bench-live', started_at = now(), finished_at = NULL,
  result = NULL, error = NULL WHERE id = 't-bench-0000200';
DELETE FROM task_attempts WHERE task_id = 't-bench-0000200';
INSERT INTO task_attempts (task_id, attempt, worker_id, model, started_at, input_tokens, output_tokens, cache_read_tokens,
  cache_creation_tokens, cost_usd, task_type, repository_url, model_tier, task_model, task_state, task_created_at, reported_at)
SELECT 't-bench-0000200', 1, 'w-bench-live', 'claude-sonnet', now(), 0, 0, 0, 0, 0,
  type, repository_url, model_tier, model, state, created_at, now() FROM tasks WHERE id = 't-bench-0000200';
DELETE FROM tasks WHERE id = '$TEMPLATE';
ANALYZE;
SQL
echo "filled in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $T0}") s: $(psql "$PSQL_URL" -tAc "SELECT count(*) FROM $RUN.tasks") tasks, $(psql "$PSQL_URL" -tAc "SELECT count(*) FROM $RUN.task_attempts") attempts, $(psql "$PSQL_URL" -tAc "SELECT count(*) FROM $RUN.events") events" >&2

# A signed-in session, as the browser gets it: POST /ui/login, the cookie from Set-Cookie.
COOKIE=$(curl -s -o /dev/null -D - -X POST "$B/ui/login" --data-urlencode "key=$ADMIN_KEY" --data-urlencode "next=/ui/tasks" \
  | grep -i '^set-cookie: agentvine_session=' | sed 's/^[^:]*: \([^;]*\);.*/\1/' | tr -d '\r')
[ -n "$COOKIE" ] || { echo "could not sign in" >&2; exit 1; }

# stdout: only the JSON lines (logback's status lines, if any, go to stderr)
want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }
bench() { BASE="$B" COOKIE="$COOKIE" ADMIN_KEY="$ADMIN_KEY" java -Xmx256m -cp "$CP" io.agentvine.bench.DashboardBenchmark \
  | while IFS= read -r l; do case "$l" in '{'*) echo "$l" | tee -a "$OUT";; *) echo "$l" >&2;; esac; done; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); $(psql "$PSQL_URL" -tAc 'SHOW server_version'); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

if want pages; then
  echo "== pages: N=${N:-500} each after warm-up ==" >&2
  MODE=pages TASK_ID=t-bench-0000100 ATTEMPTS=5 DEEP_PAGE=$(( TASKS / 25 / 2 )) bench
fi
if want livelog; then
  echo "== live log: ${LINES:-500} lines at ${RATE:-20}/s into headless chromium ==" >&2
  MODE=livelog TASK_ID=t-bench-0000200 NAMESPACE="$RUN" REDIS_URL="$REDIS_URL" bench
fi
if want cpu; then
  echo "== CPU: ${DURATION:-60} s windows, 0 vs ${CLIENTS:-50} dashboards, ${ROUNDS:-3} rounds ==" >&2
  MODE=cpu CONTROLLER_PID=$PID CLK_TCK=$(getconf CLK_TCK) WORKER_KEY="$WORKER_KEY" NAMESPACE="$RUN" REDIS_URL="$REDIS_URL" bench
fi

echo >&2
echo "== summary ==" >&2
python3 - "$OUT" <<'PY' >&2
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
print(f"{'measure':58} {'p50 ms':>9} {'p99 ms':>9} {'n':>5}")
for r in rows:
    if r['scenario'] == 'pages':
        print(f"{r['case'][:58]:58} {r['p50_ms']:>9} {r['p99_ms']:>9} {r['n']:>5}")
    elif r['scenario'] == 'livelog':
        print(f"{'live log line: write -> in the browser page':58} {r['p50_ms']:>9} {r['p99_ms']:>9} {r['n']:>5}")
    elif r['scenario'] == 'livelog-sse-client':
        print(f"{'live log line: write -> a JDK SSE client, same stream':58} {r['p50_ms']:>9} {r['p99_ms']:>9} {r['n']:>5}")
    elif r['scenario'] == 'livelog-hop':
        print(f"{'  hop ' + r['hop']:58} {r['p50_ms']:>9} {r['p99_ms']:>9} {r['n']:>5}")
for r in rows:
    if r['scenario'] == 'cpu':
        print(f"cpu ({r.get('events', 'cancel')}) round {r['round']} clients {r['clients']:>3}: {r['cpu_pct_of_one_core']:>7} % of a core, {r['events_per_s']} events/s, {r.get('fragment_refreshes_per_s', 0)} refreshes/s, {r.get('sse_events_received_per_s', 0)} SSE events/s, JIT {r.get('jit_compiled', '?')} compiled / {r.get('jit_invalidated', '?')} invalidated, load {r['load_avg']}")
    if r['scenario'] == 'cpu-summary':
        print(f"cpu medians ({r.get('events', 'cancel')}): 0 dashboards {r['median_cpu_pct_0']} %, {r['clients']} dashboards {r['median_cpu_pct_' + str(r['clients'])]} % of a core: +{r['added_pct']} %")
        for name, (a, b) in list(r.get('threads_median_pct_0_vs_' + str(r['clients']), {}).items())[:12]:
            print(f"  thread {name:18} {a:>7} % -> {b:>7} %  ({b - a:+.2f})")
PY
