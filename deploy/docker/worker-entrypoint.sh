#!/bin/sh
# A worker agent: configuration comes from the environment (WorkerConfigLoader). Its default
# name is its types and its container id ("feature-3f2a1b4c5d6e"): unique per replica and
# readable in the controller's worker list, also under host networking, where every
# container's hostname is the host's.
set -eu
if [ -z "${AGENTVINE_WORKER_NAME:-}" ]; then
  id="$(sed -n 's#.*/containers/\([0-9a-f]\{64\}\)/.*#\1#p' /proc/self/mountinfo | head -n 1 | cut -c 1-12)"
  [ -n "$id" ] || id="$(hostname)"
  types="$(printf '%s' "${AGENTVINE_WORKER_TYPES:-worker}" | tr -c 'A-Za-z0-9._-' '-')"
  AGENTVINE_WORKER_NAME="$(printf '%s-%s' "$types" "$id" | cut -c 1-64)"
  export AGENTVINE_WORKER_NAME
fi
mkdir -p "${AGENTVINE_WORKSPACE_DIR:-/var/lib/agentvine/workspaces}" "${AGENTVINE_LOG_DIR:-/var/lib/agentvine/logs}"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -jar /opt/agentvine/worker-agent.jar "$@"
