#!/bin/sh
# Healthy: the worker's JVM runs and its controller answers. (The worker's only HTTP port is its
# optional /metrics; the controller's worker list tells whether it heartbeats.)
set -u
alive=false
for cmdline in /proc/[0-9]*/cmdline; do
  if tr '\0' ' ' <"$cmdline" 2>/dev/null | grep -q -- '-jar /opt/agentvine/worker-agent.jar'; then
    alive=true
    break
  fi
done
if [ "$alive" != true ]; then
  echo "the worker JVM is not running"
  exit 1
fi
if ! curl -fsS -o /dev/null -m 5 "${AGENTVINE_CONTROLLER_URL:?}/health"; then
  echo "the controller at ${AGENTVINE_CONTROLLER_URL} does not answer /health"
  exit 1
fi
