#!/usr/bin/env bash
# Worker benchmarks (not tests): time from JVM start to registered, idle RSS, and JGit shallow clone
# against `git clone --depth 1` (run-clone-bench.sh). Needs a Redis (REDIS_URL, default redis://127.0.0.1:6379).
# Workers run from the runnable jar with the recommended options (README, "Worker JVM options"),
# including the class-data-sharing archive built by `--warm-up`; CDS=0 measures without it.
#   benchmarks/run-worker-bench.sh      env: RUNS (5), REDIS_URL, CDS (1), CLONES (1; 0 skips the clone benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"; REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
NS="wbench$(date +%s)"; PORT=18282; B="http://127.0.0.1:$PORT"; ADMIN="bench-admin-$NS"; WKEY="bench-worker-$NS"
WORK="$(mktemp -d)"; trap 'kill $CPID 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "building..." >&2
./mvnw -B -q install -DskipTests
./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

(cd "$WORK" && AGENTVINE_PORT=$PORT REDIS_URL="$REDIS_URL" AGENTVINE_QUEUE_NAMESPACE="$NS" AGENTVINE_ADMIN_KEYS="$ADMIN" \
  AGENTVINE_WORKER_KEYS="bench:$WKEY:*" exec java -jar "$OLDPWD"/controller/target/controller-*-all.jar > controller.log 2>&1) &
CPID=$!
for _ in $(seq 1 60); do curl -sf "$B/health" >/dev/null && break; sleep 0.5; done

JAR=$(ls worker-agent/target/worker-agent-*-all.jar)
OPTS="-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=32m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1"
if [ "${CDS:-1}" = 1 ]; then
  java -XX:ArchiveClassesAtExit="$WORK/worker.jsa" $OPTS -jar "$JAR" --warm-up 2>/dev/null | grep -v '^\[' || true
  OPTS="$OPTS -XX:SharedArchiveFile=$WORK/worker.jsa"
fi
export MALLOC_ARENA_MAX=2
count() { curl -s "$B/api/v1/workers" -H "Authorization: Bearer $ADMIN" | { grep -o '"health":"healthy"' || true; } | wc -l; }
starts=(); rss=()
for i in $(seq 1 "$RUNS"); do
  before=$(count)
  t0=$(date +%s%N)
  AGENTVINE_CONTROLLER_URL=$B AGENTVINE_API_KEY=$WKEY REDIS_URL="$REDIS_URL" AGENTVINE_QUEUE_NAMESPACE="$NS" \
  AGENTVINE_WORKER_TYPES=feature AGENTVINE_WORKER_NAME="bench-$i" AGENTVINE_AGENT=command AGENTVINE_AGENT_COMMAND=/bin/true \
  AGENTVINE_WORKSPACE_DIR="$WORK/ws" AGENTVINE_LOG_DIR="$WORK/logs" \
    java $OPTS -jar "$JAR" > "$WORK/worker-$i.log" 2>&1 &
  WPID=$!
  deadline=$(( $(date +%s) + 60 ))
  until [ "$(count)" -gt "$before" ]; do
    sleep 0.01
    if [ "$(date +%s)" -gt "$deadline" ]; then
      echo "worker $i did not register within 60 s:" >&2; tail -20 "$WORK/worker-$i.log" >&2; tail -5 "$WORK/controller.log" >&2; exit 1
    fi
  done
  t1=$(date +%s%N)
  starts+=($(( (t1 - t0) / 1000000 )))
  sleep 10
  rss+=($(awk '/VmRSS/ {print int($2/1024)}' /proc/$WPID/status))
  kill -TERM $WPID; wait $WPID || true
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "worker start to registered: median $(median "${starts[@]}") ms (runs: ${starts[*]})"
echo "worker idle RSS after 10 s: median $(median "${rss[@]}") MiB (runs: ${rss[*]})"
kill $CPID; wait $CPID 2>/dev/null || true
redis-cli -u "$REDIS_URL" --scan --pattern "{$NS:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
redis-cli -u "$REDIS_URL" del "$NS:lifecycle" "$NS:lock:sweep" >/dev/null || true
if [ "${CLONES:-1}" = 1 ]; then SKIP_BUILD=1 bash benchmarks/run-clone-bench.sh; fi
