#!/usr/bin/env bash
# Fleet benchmarks (not tests), on the real jars: (1) claim -> agent start, clone excluded, as each
# worker measures it; (2) an operator's answer POST -> the asking agent has the answer (vine-ask); (3) a
# parked question: ask -> the run parked (its slot free), and answer POST -> the resumed agent has it.
# Needs a Redis (REDIS_URL, default redis://127.0.0.1:6379).
#   benchmarks/run-fleet-bench.sh      env: COUNT (30), REDIS_URL, ONLY (claim, answer or park: that one alone)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${COUNT:-30}"; REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
NS="fbench$(date +%s)"; PORT="${PORT:-18283}"; B="http://127.0.0.1:$PORT"; ADMIN="bench-admin-$NS"; WKEY="bench-worker-$NS"
WORK="$(mktemp -d)"; CPID=""; WPID=""
cleanup() {
  [ -n "$WPID" ] && kill "$WPID" 2>/dev/null && { wait "$WPID" 2>/dev/null || true; }
  [ -n "$CPID" ] && kill "$CPID" 2>/dev/null && { wait "$CPID" 2>/dev/null || true; }
  redis-cli -u "$REDIS_URL" --scan --pattern "{$NS:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$NS:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building..." >&2
./mvnw -B -q install -DskipTests
./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

git init -q -b main "$WORK/seed" && echo "# bench" > "$WORK/seed/README.md"
git -C "$WORK/seed" add . && git -C "$WORK/seed" -c user.name=b -c user.email=b@b commit -qm seed
git clone -q --bare "$WORK/seed" "$WORK/repo.git"

(cd "$WORK" && AGENTVINE_PORT=$PORT REDIS_URL="$REDIS_URL" AGENTVINE_QUEUE_NAMESPACE="$NS" AGENTVINE_ADMIN_KEYS="$ADMIN" \
  AGENTVINE_WORKER_KEYS="bench:$WKEY:*" AGENTVINE_ALLOW_FILE_REPOSITORIES=true \
  exec java -jar "$OLDPWD"/controller/target/controller-*-all.jar > controller.log 2>&1) &
CPID=$!
for _ in $(seq 1 120); do curl -sf "$B/health" >/dev/null && break; sleep 0.5; done

start_worker() { # $1 = agent command; more settings in the environment
  AGENTVINE_CONTROLLER_URL=$B AGENTVINE_API_KEY=$WKEY REDIS_URL="$REDIS_URL" AGENTVINE_QUEUE_NAMESPACE="$NS" \
  AGENTVINE_WORKER_TYPES=feature AGENTVINE_WORKER_NAME="bench" AGENTVINE_AGENT=command AGENTVINE_AGENT_COMMAND="$1" \
  AGENTVINE_WORKSPACE_DIR="$WORK/ws" AGENTVINE_LOG_DIR="$WORK/logs" AGENTVINE_MIN_FREE_DISK_MB=0 AGENTVINE_MIN_FREE_MEMORY_MB=0 \
    java -Xmx128m -jar worker-agent/target/worker-agent-*-all.jar > "$WORK/worker.log" 2>&1 &
  WPID=$!
}
stop_worker() { kill -TERM "$WPID"; wait "$WPID" || true; WPID=""; }

if [ -z "${ONLY:-}" ] || [ "$ONLY" = claim ]; then
start_worker /bin/true
CONTROLLER_URL=$B ADMIN_KEY=$ADMIN REPO_URL="file://$WORK/repo.git" MODE=claim COUNT=$COUNT java -cp "$CP" io.agentvine.bench.FleetBenchmark
stop_worker
fi

mkdir -p "$WORK/received"
if [ -z "${ONLY:-}" ] || [ "$ONLY" = answer ]; then
cat > "$WORK/asker.sh" <<SH
#!/usr/bin/env bash
vine-ask "Go ahead?" > /dev/null
t=\$EPOCHREALTIME; echo "\${t/./}000" > "$WORK/received/\$AGENTVINE_TASK_ID"
SH
chmod +x "$WORK/asker.sh"
start_worker "$WORK/asker.sh"
CONTROLLER_URL=$B ADMIN_KEY=$ADMIN REPO_URL="file://$WORK/repo.git" MODE=answer RECEIVED_DIR="$WORK/received" COUNT=$COUNT \
  java -cp "$CP" io.agentvine.bench.FleetBenchmark
stop_worker
fi

if [ -z "${ONLY:-}" ] || [ "$ONLY" = park ]; then
mkdir -p "$WORK/parked"
cat > "$WORK/parker.sh" <<SH
#!/usr/bin/env bash
if grep -q 'This run resumes earlier work' "\$AGENTVINE_PROMPT_FILE"; then
  t=\$EPOCHREALTIME; echo "\${t/./}000" > "$WORK/parked/\$AGENTVINE_TASK_ID"; exit 0
fi
echo "work before the question" > WORK.md
t=\$EPOCHREALTIME; echo "\${t/./}000" > "$WORK/parked/\$AGENTVINE_TASK_ID.asked"
vine-ask "Go ahead?" > /dev/null
SH
chmod +x "$WORK/parker.sh"
AGENTVINE_PARK_AFTER=0 start_worker "$WORK/parker.sh"
CONTROLLER_URL=$B ADMIN_KEY=$ADMIN REPO_URL="file://$WORK/repo.git" MODE=park RECEIVED_DIR="$WORK/parked" COUNT=$COUNT \
  java -cp "$CP" io.agentvine.bench.FleetBenchmark
stop_worker
fi
[ -n "${KEEP_LOGS:-}" ] && cp "$WORK/controller.log" "$WORK/worker.log" "$KEEP_LOGS"/
exit 0
