#!/usr/bin/env bash
# The clone benchmark (CloneBenchmark): a worker's WorkspaceManager.prepare on a generated large repository
# (20,000 files, 2,000 commits; made once with git fast-import and kept under benchmarks/target/clone-bench)
# served by git daemon on 127.0.0.1 — cold (empty repository cache), warm (the next task after 10 new upstream
# commits), the cache off (a shallow JGit clone) — against git clone --depth 1 and git fetch + git worktree add,
# alternating, ROUNDS rounds; prints every round and the medians. Not a test: the figures depend on the machine.
#   benchmarks/run-clone-bench.sh     env: ROUNDS (5), FILES (20000), COMMITS (2000), CLONE_DIR (/dev/shm or TMPDIR),
#                                          JVM_OPTS (e.g. the worker's: -Xmx96m -XX:TieredStopAtLevel=1), SKIP_BUILD
set -euo pipefail
cd "$(dirname "$0")/.."
command -v git >/dev/null || { echo "run-clone-bench: git is needed" >&2; exit 2; }
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building..." >&2
  # package, not install: the benchmarks module finds worker-agent's jar in the same reactor build
  ./mvnw -B -q -pl benchmarks -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
echo "$(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(git --version), $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2086
exec java ${JVM_OPTS:-} -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.agentvine.bench.CloneBenchmark
