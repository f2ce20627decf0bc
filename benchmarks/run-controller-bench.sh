#!/usr/bin/env bash
# Controller benchmark (not a test): heartbeats/s and POST /api/v1/tasks/s with latency percentiles,
# the controller on PostgreSQL, load from wrk on the same machine, simulated workers.
#
#   benchmarks/run-controller-bench.sh
#   env: PG_URL (jdbc:postgresql://127.0.0.1:5432/test), PG_USER (postgres), PG_PASSWORD (postgres),
#        REDIS_URL (redis://127.0.0.1:6379), WORKERS (200), DURATION (20s), CONNECTIONS (32)
set -euo pipefail
cd "$(dirname "$0")/.."
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}"; PG_USER="${PG_USER:-postgres}"; PG_PASSWORD="${PG_PASSWORD:-postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"; WORKERS="${WORKERS:-200}"; DURATION="${DURATION:-20s}"; CONNECTIONS="${CONNECTIONS:-32}"
for tool in java wrk curl psql; do command -v "$tool" >/dev/null || { echo "run-controller-bench: '$tool' is needed (apt-get install wrk curl postgresql-client)" >&2; exit 2; }; done

RUN="bench$(date +%s)"
PORT=18181; B="http://127.0.0.1:$PORT"; ADMIN_KEY="bench-admin-$RUN"; WORKER_KEY="bench-worker-$RUN"
WORK="$(mktemp -d)"; trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "building..." >&2
./mvnw -B -q -pl controller -am package -DskipTests
JAR=$(ls controller/target/controller-*-all.jar | head -1)

echo "starting the controller on PostgreSQL (schema $RUN)..." >&2
DATASOURCES_DEFAULT_URL="$PG_URL?currentSchema=$RUN" DATASOURCES_DEFAULT_USERNAME="$PG_USER" \
DATASOURCES_DEFAULT_PASSWORD="$PG_PASSWORD" DATASOURCES_DEFAULT_DRIVER_CLASS_NAME=org.postgresql.Driver \
FLYWAY_DATASOURCES_DEFAULT_DEFAULT_SCHEMA="$RUN" FLYWAY_DATASOURCES_DEFAULT_SCHEMAS="$RUN" \
DATASOURCES_DEFAULT_MAXIMUM_POOL_SIZE=16 \
AGENTVINE_PORT=$PORT REDIS_URL="$REDIS_URL" AGENTVINE_QUEUE_NAMESPACE="$RUN" AGENTVINE_ADMIN_KEYS="$ADMIN_KEY" \
AGENTVINE_WORKER_KEYS="bench:$WORKER_KEY:*" java -Xmx512m -XX:+UseParallelGC -jar "$JAR" > "$WORK/controller.log" 2>&1 &
PID=$!
for _ in $(seq 1 60); do curl -sf "$B/health" >/dev/null && break; sleep 0.5; done
curl -sf "$B/health" >/dev/null || { echo "controller did not start:"; tail -20 "$WORK/controller.log"; exit 1; }

echo "registering $WORKERS simulated workers..." >&2
for i in $(seq 1 "$WORKERS"); do
  curl -sf -X POST "$B/api/v1/workers" -H "Authorization: Bearer $WORKER_KEY" -H 'Content-Type: application/json' \
    -d "{\"name\":\"sim-$i\",\"worker_types\":[\"feature\"],\"version\":\"bench\",\"max_concurrent_tasks\":1}" \
    | sed 's/.*"worker_id":"\([^"]*\)".*/\1/' >> "$WORK/workers.txt"; echo >> "$WORK/workers.txt"
done

echo "warm-up..." >&2
WORKERS_FILE="$WORK/workers.txt" WORKER_KEY="$WORKER_KEY" wrk -t1 -c"$CONNECTIONS" -d5s -s benchmarks/controller/heartbeat.lua "$B" >/dev/null
ADMIN_KEY="$ADMIN_KEY" wrk -t1 -c16 -d5s -s benchmarks/controller/enqueue.lua "$B" >/dev/null

echo "== heartbeats: $WORKERS workers, $CONNECTIONS connections, $DURATION =="
WORKERS_FILE="$WORK/workers.txt" WORKER_KEY="$WORKER_KEY" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency \
  -s benchmarks/controller/heartbeat.lua "$B" | grep -E "Requests/sec|Latency |  50%|  90%|  99%|Non-2xx|errors"
echo "== POST /api/v1/tasks: 16 connections, $DURATION =="
ADMIN_KEY="$ADMIN_KEY" wrk -t1 -c16 -d"$DURATION" --latency -s benchmarks/controller/enqueue.lua "$B" \
  | grep -E "Requests/sec|Latency |  50%|  90%|  99%|Non-2xx|errors"

kill $PID; wait $PID 2>/dev/null || true
psql "postgresql://$PG_USER:$PG_PASSWORD@$(echo "$PG_URL" | sed 's#jdbc:postgresql://##')" -q -c "DROP SCHEMA $RUN CASCADE" || true
redis-cli -u "$REDIS_URL" --scan --pattern "{$RUN:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
redis-cli -u "$REDIS_URL" del "$RUN:lifecycle" "$RUN:lock:sweep" >/dev/null || true
