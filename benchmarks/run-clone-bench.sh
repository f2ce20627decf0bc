#!/usr/bin/env bash
# JGit shallow clone (what a worker does: WorkspaceManager.prepare) against `git clone --depth 1` of
# the same generated repository (3,000 files, 30 commits), packed and loose: for each JVM (the default
# JIT, and the worker's options: C1 only, 96 MiB heap), each place the clones go (tmpfs, where the
# system calls are cheap and the CPU cost shows; the disk under TMPDIR) and each transport (file://;
# git daemon on the loopback, a native server as any real remote has). Not a test.
#   benchmarks/run-clone-bench.sh     env: JVMS ("default worker"), PLACES ("/dev/shm $TMPDIR"),
#                                          TRANSPORTS ("file daemon"), ROUNDS (7), WARMUP (5), DETAIL (each round), SKIP_BUILD
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building..." >&2
  ./mvnw -B -q install -DskipTests
  ./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
WORKER_OPTS="-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=32m"
PLACES="${PLACES:-$( [ -d /dev/shm ] && echo /dev/shm ) ${TMPDIR:-/tmp}}"
echo "$(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), git $(git --version | cut -d' ' -f3), $(java -version 2>&1 | head -1)"
for jvm in ${JVMS:-default worker}; do
  opts=""; [ "$jvm" = worker ] && opts="$WORKER_OPTS"
  for place in $PLACES; do
    for transport in ${TRANSPORTS:-file daemon}; do
      CLONE_DIR="$place" TRANSPORT="$transport" java $opts -cp "$CP" io.agentvine.bench.CloneBenchmark 2>/dev/null \
        | grep -E 'ratio [0-9]|^  round' | sed -E "s/^([a-z])/$jvm JVM: \1/"
    done
  done
done
