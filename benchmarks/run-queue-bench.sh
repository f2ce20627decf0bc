#!/usr/bin/env bash
# The queue benchmark, one command: AgentVine's work queue and BullMQ on the same Redis, same
# scenarios, alternating for ROUNDS rounds, plus redis-benchmark's LMOVE as the ceiling. Prints a
# side-by-side table of medians and ratios, then every round. Not a test: numbers depend on the machine.
# Only JSON goes to the results file: logs and progress go to stderr (logback's status lines included).
# AgentVine's side also measures its client's floor: Lettuce's LMOVE from as many threads as in flight on one
# connection (the cheapest round trip its worker path could make), shown beside redis-benchmark's; and the worker's
# ack+claim script through Jedis, a client that reads and writes on the calling thread (what a change of client would buy).
#
#   benchmarks/run-queue-bench.sh [redis://host:port]     (default: $REDIS_URL or redis://127.0.0.1:6379)
#   env: ROUNDS (3), JOBS (20000), WAKE_SAMPLES (500), WAKE_WARMUP (2000 wake-ups first, not timed),
#        CONCURRENCY_LIST ("1,100"), SCENARIOS (AgentVine's side: "enqueue,claim,wakeup,floor,jedis"),
#        JAVA_OPTS (the AgentVine side's JVM options; default -XX:+UseParallelGC)
set -euo pipefail
cd "$(dirname "$0")/.."
export REDIS_URL="${1:-${REDIS_URL:-redis://127.0.0.1:6379}}"
export JOBS="${JOBS:-20000}" WAKE_SAMPLES="${WAKE_SAMPLES:-500}" WAKE_WARMUP="${WAKE_WARMUP:-2000}" CONCURRENCY_LIST="${CONCURRENCY_LIST:-1,100}"
ROUNDS="${ROUNDS:-3}"

for tool in java node npm redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "run-queue-bench: '$tool' is needed (apt-get install nodejs npm redis-tools)" >&2; exit 2; }
done
if [[ "$REDIS_URL" =~ ^redis://(:([^@]*)@)?([^:/]+)(:([0-9]+))? ]]; then
  HOST="${BASH_REMATCH[3]}"; PORT="${BASH_REMATCH[5]:-6379}"; PASS="${BASH_REMATCH[2]}"
else
  echo "run-queue-bench: cannot read REDIS_URL '$REDIS_URL' (expected redis://[:password@]host:port)" >&2; exit 2
fi
AUTH=(); [ -n "$PASS" ] && AUTH=(-a "$PASS")
redis-cli -h "$HOST" -p "$PORT" "${AUTH[@]}" ping >/dev/null || { echo "run-queue-bench: Redis at $HOST:$PORT does not answer" >&2; exit 2; }

echo "building..." >&2
# package, not install: the classpath names this tree's module jars (the reactor's), not the local
# repository's, which another build on the machine may replace while the rounds run.
./mvnw -B -q -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
[ -d benchmarks/bullmq/node_modules ] || (cd benchmarks/bullmq && npm install --no-audit --no-fund >&2)
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

OUT="benchmarks/target/queue-bench-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
{
  echo "{\"system\":\"machine\",\"date\":\"$(date -u +%FT%TZ)\",\"cores\":$(nproc),\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\",\"redis\":\"$(redis-cli -h "$HOST" -p "$PORT" "${AUTH[@]}" info server | grep redis_version | cut -d: -f2 | tr -d '\r')\",\"java\":\"$(java -version 2>&1 | head -1 | cut -d'"' -f2)\",\"node\":\"$(node --version)\",\"jobs\":$JOBS}"
  for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS: agentvine" >&2
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    java ${JAVA_OPTS:--XX:+UseParallelGC} -Dlogback.configurationFile=benchmarks/src/main/resources/logback.xml \
      -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$CP" io.agentvine.bench.QueueBenchmark
    echo "round $round/$ROUNDS: bullmq" >&2
    (cd benchmarks/bullmq && node bench.mjs)
  done
  echo "ceiling: redis-benchmark LMOVE" >&2
  redis-cli -h "$HOST" -p "$PORT" "${AUTH[@]}" del bench:lmove >/dev/null
  redis-cli -h "$HOST" -p "$PORT" "${AUTH[@]}" rpush bench:lmove x >/dev/null
  IFS=',' read -ra CS <<< "$CONCURRENCY_LIST"
  for c in "${CS[@]}"; do
    n=$(( c == 1 ? 50000 : 200000 ))
    rps=$(redis-benchmark -h "$HOST" -p "$PORT" "${AUTH[@]}" -c "$c" -n "$n" -q lmove bench:lmove bench:lmove LEFT RIGHT 2>/dev/null \
          | tr '\r' '\n' | grep -o '[0-9.]* requests per second' | tail -1 | cut -d' ' -f1)
    echo "{\"system\":\"redis-benchmark\",\"scenario\":\"lmove\",\"concurrency\":$c,\"ops_per_s\":$rps}"
  done
  redis-cli -h "$HOST" -p "$PORT" "${AUTH[@]}" del bench:lmove >/dev/null
} | tee "$OUT" >/dev/null
node benchmarks/bullmq/report.mjs "$OUT"
echo "raw results: $OUT" >&2
