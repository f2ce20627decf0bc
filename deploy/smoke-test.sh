#!/usr/bin/env bash
# The compose fleet end to end on one machine, every service on the host network and all traffic
# on the loopback:
#   builds the images (base images from Debian packages first, when missing: no image registry
#   needed), serves a git repository (git daemon on 127.0.0.1), starts the fleet, runs one task
#   per type, scales feature-worker up and back down, stops a worker mid-task (gracefully: it
#   finishes the task) and crashes one mid-task (its task is recovered and completed elsewhere),
#   restarts the controller with tasks in flight and kills Redis with a task queued (nothing is
#   lost), starts the observability profile's Prometheus (the controller's and a worker's own
#   /metrics scraped), checks that the Java services log JSON lines and that no secret reached a log,
#   then tears everything down.
# Prints a summary (one line per step, then "N passed, N failed") and exits non-zero on any failure.
#
# Usage: deploy/smoke-test.sh [--official-images] [--keep]
#   --official-images  build on eclipse-temurin / redis:7 / postgres:16 from a registry instead of
#                      the local agentvine/* base images
#   --keep             leave the fleet running and the work directory in place at the end
# Needs: a Docker engine, docker compose (v2) or docker-compose (1.29), git (git daemon), curl, jq,
# and, for the local base images, root and debootstrap. About 9 minutes on 2 cores from nothing
# (base images 2 min, the Maven build in the image 3 min); 4 minutes with the images built.
# Environment: SMOKE_CONTROLLER_PORT (18080), SMOKE_REDIS_PORT (16379), SMOKE_POSTGRES_PORT (15432),
# SMOKE_GIT_PORT (19418), SMOKE_PROMETHEUS_PORT (19090), SMOKE_WORKER_METRICS_PORT (19464): first
# free port at or above each; SMOKE_PROJECT (agentvine-smoke).
set -uo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

OFFICIAL=false
KEEP=false
for arg in "$@"; do
  case "$arg" in
    --official-images) OFFICIAL=true ;;
    --keep) KEEP=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SELF"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

PROJECT="${SMOKE_PROJECT:-agentvine-smoke}"
TYPES=(feature bugfix test docs refactor review)
START=$(date +%s)
WORK="$(mktemp -d /tmp/agentvine-smoke.XXXXXX)"
ENV_FILE="$WORK/smoke.env"
RESULTS=()
FAILED=0
GIT_PID=""

log() { printf '%s [%4ss] %s\n' "$(date +%H:%M:%S)" "$(( $(date +%s) - START ))" "$*"; }
fail() { log "FAIL: $*"; return 1; }

# ---- steps ------------------------------------------------------------------------------------

# step NAME FUNCTION: runs FUNCTION, records PASS/FAIL with its time; later steps are skipped after
# a failure that leaves nothing to test (the ones that build or start the fleet).
step() {
  local name="$1" fn="$2" t0=$(date +%s) status
  log "== $name"
  if "$fn"; then status=PASS; else status=FAIL; FAILED=$((FAILED + 1)); fi
  RESULTS+=("$(printf '%-4s %4ss  %s' "$status" "$(( $(date +%s) - t0 ))" "$name")")
  [ "$status" = PASS ]
}

# ---- helpers ----------------------------------------------------------------------------------

if docker compose version >/dev/null 2>&1; then COMPOSE_BIN=(docker compose); else COMPOSE_BIN=(docker-compose); fi
# $WORK/metrics.yml turns on the docs worker's own /metrics (one worker: on the host network every
# replica would want the same port).
compose() {
  "${COMPOSE_BIN[@]}" -p "$PROJECT" --env-file "$ENV_FILE" \
    -f "$ROOT/docker-compose.yml" -f "$ROOT/deploy/docker-compose.host-network.yml" -f "$WORK/metrics.yml" "$@"
}
# down, the observability profile's services included
compose_down() { compose --profile observability down -v --remove-orphans "$@"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for p in $(seq "$1" $(( $1 + 200 ))); do
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  return 1
}
secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

api() { # api METHOD PATH [JSON]
  local args=(-sS -m 10 -X "$1" -H "Authorization: Bearer $ADMIN_KEY" "$BASE$2")
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' -d "$3")
  curl "${args[@]}"
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 2 s until it succeeds.
wait_for() {
  local limit="$1" what="$2" deadline=$(( $(date +%s) + $1 ))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail "$what: not after ${limit}s"
      return 1
    fi
    sleep 2
  done
}

container_healthy() { [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1")" = healthy ]; }
controller_healthy() { curl -fsS -m 5 -o /dev/null "$BASE/health"; }

live_workers() { # live_workers [TYPE]: JSON array of registered, not stale, not deregistered workers
  api GET /api/v1/workers | jq -c --arg t "${1:-}" \
    '[.[] | select(.deregistered_at == null and .health != "stale" and .health != "offline")
          | select($t == "" or (.worker_types | index($t)))]'
}
live_count_is() { [ "$(live_workers "$1" | jq length)" = "$2" ]; }
all_types_live() {
  local t
  for t in "${TYPES[@]}"; do [ "$(live_workers "$t" | jq length)" -ge 1 ] || return 1; done
}

# enqueue TYPE TITLE: prints the new task's id
enqueue() {
  local body
  body="$(jq -nc --arg type "$1" --arg title "$2" --arg repo "$REPO_URL" '{type: $type, title: $title,
    instructions: ("Smoke test: " + $title), repository_url: $repo, branch: "main", priority: "P2",
    permission_level: "autonomous"}')"
  api POST /api/v1/tasks "$body" | jq -er '.id'
}
task() { api GET "/api/v1/tasks/$1"; }
# events_of TASK_ID: the controller's events about a task, one JSON object a line (the SSE stream
# from the first event, read for 3 seconds).
events_of() {
  curl -sS -N -m 3 -H "Authorization: Bearer $ADMIN_KEY" "$BASE/api/v1/events?since=0" 2>/dev/null \
    | sed -n 's/^data: *//p' | jq -c --arg id "$1" 'select(.task_id == $id)'
}
task_state() { task "$1" | jq -r '.state'; }
task_is() { [ "$(task_state "$1")" = "$2" ]; }
tasks_completed() { local id; for id in "$@"; do task_is "$id" completed || return 1; done; }

# wait_completed SECONDS ID...: every task completed; a task that ends otherwise fails at once.
wait_completed() {
  local limit="$1" deadline=$(( $(date +%s) + $1 )) id state pending
  shift
  while :; do
    pending=0
    for id in "$@"; do
      state="$(task_state "$id" 2>/dev/null)"
      case "$state" in
        completed) ;;
        failed|dead|cancelled) fail "task $id ended $state: $(task "$id" | jq -c '{error, attempt_history}')"; return 1 ;;
        *) pending=$((pending + 1)) ;;
      esac
    done
    [ "$pending" = 0 ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      for id in "$@"; do log "  $id: $(task "$id" | jq -c '{type, state, worker_id, attempts}')"; done
      fail "$pending task(s) not completed after ${limit}s"
      return 1
    fi
    sleep 2
  done
}

# The container of a worker, by the worker's name (the entrypoint names it <types>-<container id>).
container_of_worker() { # container_of_worker WORKER_ID
  local name
  name="$(api GET "/api/v1/workers/$1" | jq -r '.name')"
  docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$PROJECT" | grep "^${name##*-}" | head -n 1
}

running_on() { # running_on TASK_ID: the task runs (agent started); prints its worker id
  local t
  t="$(task "$1")"
  [ "$(jq -r '.state' <<<"$t")" = running ] && jq -er '.worker_id' <<<"$t"
}

# Anonymous volumes (the workers' workspaces) outlive a replica removed by a scale-down, and `down -v`
# knows only the containers that are left: note them all, remove the leftovers at teardown.
remember_volumes() {
  local c
  for c in $(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT"); do
    docker inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}}{{"\n"}}{{end}}{{end}}' "$c"
  done >>"$WORK/volumes"
}

branch_pushed() { git --git-dir="$WORK/git/demo.git" for-each-ref --format='%(refname)' refs/heads | grep -q "$1"; }

# ---- the steps --------------------------------------------------------------------------------

prerequisites() {
  local missing=()
  for c in docker git curl jq; do command -v "$c" >/dev/null || missing+=("$c"); done
  "${COMPOSE_BIN[@]}" version >/dev/null 2>&1 || missing+=("docker compose or docker-compose")
  [ ${#missing[@]} -eq 0 ] || { fail "missing: ${missing[*]}"; return 1; }
  [ -x "$(git --exec-path)/git-daemon" ] || { fail "git daemon is not available (Debian: git-daemon-run or git)"; return 1; }
  docker info >/dev/null 2>&1 || { fail "no Docker engine answers (start dockerd)"; return 1; }
  log "$(docker version --format 'engine {{.Server.Version}}') / $("${COMPOSE_BIN[@]}" version | head -n 1)"
}

configure() {
  CONTROLLER_PORT="$(free_port "${SMOKE_CONTROLLER_PORT:-18080}")" || return 1
  REDIS_PORT="$(free_port "${SMOKE_REDIS_PORT:-16379}")" || return 1
  POSTGRES_PORT="$(free_port "${SMOKE_POSTGRES_PORT:-15432}")" || return 1
  GIT_PORT="$(free_port "${SMOKE_GIT_PORT:-19418}")" || return 1
  PROMETHEUS_PORT="$(free_port "${SMOKE_PROMETHEUS_PORT:-19090}")" || return 1
  WORKER_METRICS_PORT="$(free_port "${SMOKE_WORKER_METRICS_PORT:-19464}")" || return 1
  ADMIN_KEY="$(secret)"
  WORKER_KEY="$(secret)"
  REDIS_PASSWORD="$(secret)"
  POSTGRES_PASSWORD="$(secret)"
  BASE="http://127.0.0.1:$CONTROLLER_PORT"
  REPO_URL="git://127.0.0.1:$GIT_PORT/demo.git"
  umask 077
  cat >"$ENV_FILE" <<EOF
REDIS_PASSWORD=$REDIS_PASSWORD
POSTGRES_PASSWORD=$POSTGRES_PASSWORD
AGENTVINE_ADMIN_KEY=$ADMIN_KEY
AGENTVINE_WORKER_KEY=$WORKER_KEY
CONTROLLER_PORT=$CONTROLLER_PORT
REDIS_PORT=$REDIS_PORT
POSTGRES_PORT=$POSTGRES_PORT
CONTROLLER_BIND=127.0.0.1
REDIS_BIND=127.0.0.1
POSTGRES_LISTEN_ADDRESSES=127.0.0.1
AGENTVINE_AGENT=demo
AGENTVINE_DEMO_STEP_DELAY=3s
WORKER_MEMORY=768m
AGENTVINE_ALLOWED_GIT_HOSTS=127.0.0.1/32
PROMETHEUS_PORT=$PROMETHEUS_PORT
PROMETHEUS_BIND=127.0.0.1
AGENTVINE_PROMETHEUS_CONFIG=$WORK/prometheus.yml
EOF
  if [ "$OFFICIAL" = false ]; then
    cat >>"$ENV_FILE" <<'EOF'
AGENTVINE_BUILD_IMAGE=agentvine/base-jdk17
AGENTVINE_RUNTIME_IMAGE=agentvine/base-jre17
AGENTVINE_REDIS_IMAGE=agentvine/redis:7
AGENTVINE_POSTGRES_IMAGE=agentvine/postgres:15
AGENTVINE_PROMETHEUS_IMAGE=agentvine/prometheus:2
EOF
    PROMETHEUS_IMAGE=agentvine/prometheus:2
  else
    PROMETHEUS_IMAGE="$(sed -n 's/.*AGENTVINE_PROMETHEUS_IMAGE:-\([^}]*\)}.*/\1/p' "$ROOT/docker-compose.yml")"
  fi
  umask 022
  cat >"$WORK/metrics.yml" <<EOF
services:
  docs-worker:
    environment:
      AGENTVINE_WORKER_METRICS_PORT: "$WORKER_METRICS_PORT"
      AGENTVINE_WORKER_METRICS_ADDRESS: 127.0.0.1
EOF
  # deploy/prometheus/prometheus.yml finds replicas by Docker's DNS, which the host network lacks:
  # the same two jobs with the smoke test's addresses.
  cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: controller
    metrics_path: /prometheus
    static_configs:
      - targets: ["127.0.0.1:$CONTROLLER_PORT"]
  - job_name: workers
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:$WORKER_METRICS_PORT"]
        labels:
          service: docs-worker
EOF
  log "ports: controller $CONTROLLER_PORT, redis $REDIS_PORT, postgres $POSTGRES_PORT, git $GIT_PORT," \
    "prometheus $PROMETHEUS_PORT, docs worker metrics $WORKER_METRICS_PORT; work dir $WORK"
  # A fleet left over from an interrupted run goes first.
  compose_down >/dev/null 2>&1 || true
}

base_images() {
  if [ "$OFFICIAL" = true ]; then
    log "official base images (pulled by the build)"
    return 0
  fi
  nice "$ROOT/deploy/build-base-images.sh"
}

build_images() {
  # The worker image once; its six services share it (and the build cache makes the other five free).
  compose build controller >"$WORK/build.log" 2>&1 && compose build feature-worker >>"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log"; fail "image build (log: $WORK/build.log)"; return 1; }
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^agentvine/(controller|worker):local' \
    | while read -r line; do log "  $line"; done
}

serve_repository() {
  mkdir -p "$WORK/git" "$WORK/seed"
  git init -q --bare -b main "$WORK/git/demo.git" || return 1
  (
    cd "$WORK/seed" && git init -q -b main && git config user.name smoke && git config user.email smoke@localhost \
    && printf '# Demo repository\n\nServed to the AgentVine smoke test.\n' >README.md \
    && mkdir -p src && printf 'public class Main {\n    // TODO: greet by name\n    public static void main(String[] a) {\n        System.out.println("hello");\n    }\n}\n' >src/Main.java \
    && git add -A && git commit -q -m "Initial commit" && git push -q "$WORK/git/demo.git" main
  ) || return 1
  git daemon --reuseaddr --listen=127.0.0.1 --port="$GIT_PORT" --base-path="$WORK/git" --export-all \
    --enable=receive-pack --informative-errors "$WORK/git" >"$WORK/git-daemon.log" 2>&1 &
  GIT_PID=$!
  wait_for 10 "git daemon on 127.0.0.1:$GIT_PORT" git ls-remote "$REPO_URL" main
}

fleet_up() {
  compose up -d --no-build >"$WORK/up.log" 2>&1 || { tail -30 "$WORK/up.log"; fail "compose up"; return 1; }
  wait_for 180 "controller healthy" controller_healthy || return 1
  wait_for 180 "a live worker for every type" all_types_live || return 1
  log "workers: $(live_workers | jq -r '[.[].name] | sort | join(" ")')"
  local c name
  for c in $(compose ps -q); do
    name="$(docker inspect -f '{{.Name}}' "$c")"
    if ! wait_for 120 "container $name healthy" container_healthy "$c"; then
      docker inspect -f '{{json .State}}' "$c" | jq -c '{Status, RestartCount: .RestartCount, Health: .Health.Log[-1]}'
      docker logs --tail 20 "$c" 2>&1
      return 1
    fi
  done
  for c in $(compose ps -q); do
    [ "$(docker inspect -f '{{.RestartCount}}' "$c")" = 0 ] \
      || { fail "$(docker inspect -f '{{.Name}}' "$c") restarted: $(docker logs --tail 5 "$c" 2>&1)"; return 1; }
  done
  log "all $(compose ps -q | wc -l) containers healthy, none restarted"
}

one_task_per_type() {
  local ids=() t id
  for t in "${TYPES[@]}"; do
    id="$(enqueue "$t" "smoke $t task")" || { fail "enqueue $t"; return 1; }
    ids+=("$id")
  done
  wait_completed 180 "${ids[@]}" || return 1
  for id in "${ids[@]}"; do
    local view branch
    view="$(task "$id")"
    branch="$(jq -r '.result.branch // empty' <<<"$view")"
    log "  $(jq -r '"\(.type): \(.state) by \(.worker_id), attempts \(.attempts)"' <<<"$view")${branch:+, branch $branch}"
    if [ "$(jq -r .type <<<"$view")" = review ]; then
      continue
    fi
    [ "$(jq -r '.result.pushed' <<<"$view")" = true ] || { fail "$id: nothing pushed: $(jq -c .result <<<"$view")"; return 1; }
    branch_pushed "$branch" || { fail "$id: branch $branch is not in the served repository"; return 1; }
  done
}

scale_up_and_down() {
  compose up -d --no-build --no-recreate --scale feature-worker=3 feature-worker >>"$WORK/up.log" 2>&1 || { fail "scale up"; return 1; }
  wait_for 120 "3 live feature workers" live_count_is feature 3 || return 1
  local ids=() i
  for i in 1 2 3 4; do ids+=("$(enqueue feature "scaled feature task $i")") || return 1; done
  wait_completed 180 "${ids[@]}" || return 1
  local workers
  workers="$(for i in "${ids[@]}"; do task "$i" | jq -r .worker_id; done | sort -u | wc -l)"
  log "  4 feature tasks ran on $workers worker(s)"
  [ "$workers" -ge 2 ] || { fail "the scaled-up replicas took no work"; return 1; }
  remember_volumes
  compose up -d --no-build --no-recreate --scale feature-worker=1 feature-worker >>"$WORK/up.log" 2>&1 || { fail "scale down"; return 1; }
  wait_for 120 "1 live feature worker" live_count_is feature 1 || return 1
  [ "$(compose ps -q feature-worker | wc -l)" = 1 ] || { fail "feature-worker containers: $(compose ps -q feature-worker | wc -l)"; return 1; }
  log "  scaled back to 1: the removed workers deregistered"
}

# Two feature replicas, one task: returns once the task runs, in TASK and its worker in WORKER.
start_one_feature_task() {
  compose up -d --no-build --no-recreate --scale feature-worker=2 feature-worker >>"$WORK/up.log" 2>&1 || return 1
  wait_for 120 "2 live feature workers" live_count_is feature 2 || return 1
  TASK="$(enqueue feature "$1")" || return 1
  wait_for 60 "task $TASK running" running_on "$TASK" || return 1
  WORKER="$(running_on "$TASK")"
  CONTAINER="$(container_of_worker "$WORKER")"
  [ -n "$CONTAINER" ] || { fail "no container for worker $WORKER"; return 1; }
}

stop_worker_mid_task() {
  start_one_feature_task "feature task through a graceful stop" || return 1
  log "  task $TASK runs on $WORKER: docker stop (SIGTERM, then up to 75 s)"
  docker stop -t 75 "$CONTAINER" >/dev/null || return 1
  local code
  code="$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")"
  [ "$code" = 0 ] || { fail "the worker exited $code, not 0"; return 1; }
  wait_completed 60 "$TASK" || return 1
  local view
  view="$(task "$TASK")"
  log "  $(jq -r '"\(.state) by \(.worker_id), attempts \(.attempts)"' <<<"$view"); the worker exited 0"
  [ "$(jq -r .worker_id <<<"$view")" = "$WORKER" ] || { fail "the task moved to another worker: the drain did not finish it"; return 1; }
  docker start "$CONTAINER" >/dev/null
}

crash_worker_mid_task() {
  start_one_feature_task "feature task through a worker crash" || return 1
  local restarts_before
  restarts_before="$(docker inspect -f '{{.RestartCount}}' "$CONTAINER")"
  log "  task $TASK runs on $WORKER: kill -9 of the worker JVM"
  # The [.] keeps this shell's own command line from matching.
  docker exec "$CONTAINER" sh -c 'for p in /proc/[0-9]*; do
      if tr "\0" " " <"$p/cmdline" 2>/dev/null | grep -q -- "-jar /opt/agentvine/worker-agent[.]jar"; then kill -9 "${p#/proc/}"; fi
    done' >/dev/null 2>&1
  wait_completed 150 "$TASK" || return 1
  local view recovery
  view="$(task "$TASK")"
  # The controller's event log says why the task went back to its queue.
  recovery="$(events_of "$TASK" | jq -r 'select(.type == "task_progress" and .state == "queued") | .message' | head -n 1)"
  log "  completed by $(jq -r .worker_id <<<"$view") after: ${recovery:-no recovery event}"
  [ -n "$recovery" ] || { fail "no recovery of $TASK in the controller's event log"; return 1; }
  [ "$(jq -r .worker_id <<<"$view")" != "$WORKER" ] || { fail "completed by the crashed worker $WORKER itself"; return 1; }
  local restarts
  restarts="$(docker inspect -f '{{.RestartCount}}' "$CONTAINER")"
  [ "$restarts" -gt "$restarts_before" ] || { fail "the restart policy did not restart the crashed container"; return 1; }
  log "  the crashed container was restarted by its restart policy ($restarts restart(s))"
}

snapshot() { api GET '/api/v1/tasks?size=200' | jq -c '[.content[] | {id, state, attempts}] | sort_by(.id)'; }

controller_restart() {
  local before ids=() t
  before="$(snapshot)" || return 1
  for t in "${TYPES[@]}"; do ids+=("$(enqueue "$t" "smoke $t task across a controller restart")") || return 1; done
  log "  $(jq length <<<"$before") tasks recorded; 6 more queued; stopping the controller"
  compose stop controller >/dev/null 2>&1 || return 1
  sleep 20 # the workers go on without it: claims, runs and leases live in Redis
  compose start controller >/dev/null 2>&1 || return 1
  wait_for 120 "controller healthy again" controller_healthy || return 1
  wait_completed 180 "${ids[@]}" || return 1
  local after lost
  after="$(snapshot)" || return 1
  lost="$(jq -n --argjson b "$before" --argjson a "$after" '[$b[] | select(. as $x | $a | index($x) | not)] | length')"
  [ "$lost" = 0 ] || { fail "$lost task(s) changed or vanished across the restart"; return 1; }
  log "  all $(jq length <<<"$before") earlier tasks unchanged, the 6 new ones completed"
}

redis_crash() {
  compose stop docs-worker >/dev/null 2>&1 || return 1
  local id
  id="$(enqueue docs "docs task queued across a Redis crash")" || return 1
  sleep 2 # appendfsync everysec: on disk within a second
  log "  task $id queued with no docs worker; kill -9 of Redis"
  docker kill -s KILL "$(compose ps -q redis)" >/dev/null || return 1
  compose start redis >/dev/null 2>&1 || return 1
  wait_for 60 "redis healthy again" container_healthy "$(compose ps -q redis)" || return 1
  compose start docs-worker >/dev/null 2>&1 || return 1
  wait_completed 120 "$id" || return 1
  log "  the queued task survived the crash and completed"
}

prometheus_api() { curl -fsS -m 10 "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/$1" "${@:2}"; }
targets_up() { # both jobs have a target that is up
  prometheus_api targets | jq -e '[.data.activeTargets[] | select(.health == "up") | .labels.job] | index("controller") and index("workers")'
}
query_positive() { # query_positive PROMQL: the query's first value is above 0
  prometheus_api query --data-urlencode "query=$1" | jq -e '(.data.result[0].value[1] // "0" | tonumber) > 0'
}
query_value() { prometheus_api query --data-urlencode "query=$1" | jq -r '.data.result[0].value[1]'; }

observability() {
  # The compose file's own scrape configuration, checked by the image's promtool.
  docker run --rm --network none --entrypoint promtool -v "$ROOT/deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" \
    "$PROMETHEUS_IMAGE" check config /etc/prometheus/prometheus.yml >"$WORK/promtool.log" 2>&1 \
    || { cat "$WORK/promtool.log"; fail "promtool check config deploy/prometheus/prometheus.yml"; return 1; }
  log "  deploy/prometheus/prometheus.yml: promtool check config: $(grep -c SUCCESS "$WORK/promtool.log") SUCCESS line(s)"
  # The docs worker's own /metrics, read directly.
  local scrape
  scrape="$(curl -fsS -m 10 "http://127.0.0.1:$WORKER_METRICS_PORT/metrics")" || { fail "the docs worker's /metrics does not answer"; return 1; }
  grep -q '^agentvine_worker_runs_ended_total{outcome="completed",type="docs"}' <<<"$scrape" \
    || { fail "no completed docs run in the docs worker's /metrics"; return 1; }
  # Prometheus of the observability profile (the local image, or the official one with --official-images).
  compose up -d --no-build prometheus >>"$WORK/up.log" 2>&1 || { tail -20 "$WORK/up.log"; fail "compose up prometheus"; return 1; }
  wait_for 120 "prometheus healthy" container_healthy "$(compose ps -q prometheus)" || return 1
  if ! wait_for 60 "the controller and the docs worker scraped" targets_up; then
    prometheus_api targets | jq -c '.data.activeTargets[] | {job: .labels.job, health, lastError}'
    return 1
  fi
  wait_for 30 "agentvine_runs_ended_total in Prometheus" query_positive 'sum(agentvine_runs_ended_total)' || return 1
  wait_for 30 "agentvine_worker_runs_ended_total in Prometheus" query_positive 'sum(agentvine_worker_runs_ended_total{type="docs"})' || return 1
  log "  $(docker inspect -f '{{.Config.Image}}' "$(compose ps -q prometheus)"): targets up:" \
    "$(prometheus_api targets | jq -r '[.data.activeTargets[] | select(.health == "up") | .labels.job] | join(", ")');" \
    "runs ended (controller) $(query_value 'sum(agentvine_runs_ended_total)')," \
    "docs runs ended (docs worker since its restart) $(query_value 'sum(agentvine_worker_runs_ended_total{type="docs"})')"
}

json_logs() {
  local service c lines good all=0
  for service in controller "${TYPES[@]/%/-worker}"; do
    for c in $(compose ps -q "$service"); do
      docker logs "$c" >"$WORK/container.log" 2>&1
      lines="$(wc -l <"$WORK/container.log")"
      good="$(jq -R -c 'fromjson? | select(type == "object" and (.timestamp | type) == "string" and (.timestamp | endswith("Z"))
          and .level and .logger and .thread and (.message | type) == "string")' <"$WORK/container.log" | wc -l)"
      if [ "$lines" -eq 0 ] || [ "$good" != "$lines" ]; then
        fail "$service: $good of $lines log lines are JSON objects with the fields; e.g.: $(jq -R -r 'select((fromjson? | type) != "object")' <"$WORK/container.log" | head -3)"
        return 1
      fi
      all=$((all + lines))
    done
  done
  local claimed
  claimed="$(docker logs "$(compose ps -q docs-worker)" 2>&1 | jq -R -c 'fromjson? | select(.event == "claimed")
      | {timestamp, level, thread, event, worker_id, task_id, work_order_id, attempt}' | head -n 1)"
  jq -e '.worker_id and .task_id and .work_order_id and .attempt' <<<"$claimed" >/dev/null 2>&1 \
    || { fail "no claimed line with the run's fields in the docs worker's log: $claimed"; return 1; }
  log "  $all lines of the controller and the workers, each a JSON object with timestamp (UTC), level, logger, thread, message; e.g."
  log "  $claimed"
}

no_secrets_in_logs() {
  compose logs --no-color >"$WORK/compose.log" 2>&1
  local s leaked=0
  for s in "$ADMIN_KEY" "$WORKER_KEY" "$REDIS_PASSWORD" "$POSTGRES_PASSWORD"; do
    if grep -qF -- "$s" "$WORK/compose.log"; then leaked=$((leaked + 1)); fi
  done
  [ "$leaked" = 0 ] || { fail "$leaked secret(s) appear in the containers' logs"; return 1; }
  log "  $(wc -l <"$WORK/compose.log") log lines, no secret in them"
}

teardown() {
  [ -f "$ENV_FILE" ] || return 0 # nothing was started
  if [ "$KEEP" = true ]; then
    log "--keep: fleet left running (compose project $PROJECT, env file $ENV_FILE)"
    return 0
  fi
  [ -s "$WORK/compose.log" ] || compose logs --no-color >"$WORK/compose.log" 2>&1
  remember_volumes
  compose_down >"$WORK/down.log" 2>&1 || { tail "$WORK/down.log"; fail "compose down"; return 1; }
  [ -z "$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ] || { fail "containers left"; return 1; }
  local v left=0
  for v in $(sort -u "$WORK/volumes"); do
    docker volume inspect "$v" >/dev/null 2>&1 && { docker volume rm "$v" >/dev/null || left=$((left + 1)); }
  done
  [ -z "$(docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT")" ] && [ "$left" = 0 ] \
    || { fail "volumes left"; return 1; }
  log "  no container or volume left"
}

cleanup() {
  [ -n "$GIT_PID" ] && kill "$GIT_PID" 2>/dev/null
  if [ "$KEEP" = false ] && [ "$FAILED" = 0 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; FAILED=$((FAILED + 1)); compose_down >/dev/null 2>&1; exit 130' INT TERM

# ---- run ---------------------------------------------------------------------------------------

if step "prerequisites" prerequisites && step "configuration" configure && step "base images" base_images \
  && step "image build" build_images && step "git repository on the loopback" serve_repository \
  && step "fleet up and healthy" fleet_up; then
  step "one task per type" one_task_per_type
  step "scale feature-worker to 3 and back to 1" scale_up_and_down
  step "graceful stop of a worker mid-task" stop_worker_mid_task
  step "crash of a worker mid-task: recovered, completed" crash_worker_mid_task
  step "controller restart loses nothing" controller_restart
  step "Redis crash loses no queued task" redis_crash
  step "observability: Prometheus scrapes the controller and a worker" observability
  step "JSON log lines" json_logs
  step "no secret in the logs" no_secrets_in_logs
fi
if [ "$FAILED" -gt 0 ] && [ "$KEEP" = false ] && [ -f "$ENV_FILE" ]; then
  compose logs --no-color >"$WORK/compose.log" 2>&1
fi
step "teardown" teardown

echo
echo "AgentVine compose smoke test ($("${COMPOSE_BIN[@]}" version --short 2>/dev/null || "${COMPOSE_BIN[@]}" version | head -n 1))"
for r in "${RESULTS[@]}"; do echo "  $r"; done
TOTAL=${#RESULTS[@]}
echo "smoke: $((TOTAL - FAILED)) passed, $FAILED failed"
echo "wall time: $(( $(date +%s) - START ))s"
if [ "$FAILED" -gt 0 ]; then
  echo "logs kept in $WORK (compose.log, build.log, up.log)"
  exit 1
fi
