#!/usr/bin/env bash
# Builds the base images of the compose fleet from Debian packages, for machines that reach a
# Debian mirror (and Maven Central, for the image build) but no image registry:
#
#   agentvine/debian:bookworm    debootstrap --variant=minbase, imported with `docker import`
#   agentvine/base-jdk17         + openjdk-17-jdk-headless, curl, unzip   (Dockerfile.worker's build stage)
#   agentvine/base-jre17         + openjdk-17-jre-headless, git, curl, tini (controller and worker images)
#   agentvine/redis:7            + redis-server (Debian's 7.0), laid out like the official redis image
#   agentvine/postgres:15        + postgresql (Debian's 15), with an entrypoint like the official image's
#   agentvine/prometheus:2       + prometheus (Debian's 2.42), laid out like prom/prometheus (the
#                                  compose file's `observability` profile)
#
# Grafana is not packaged by Debian: there is no local Grafana image (see deploy/README.md).
#
# Then point the compose file at them (in .env; deploy/smoke-test.sh does it for its own run):
#   AGENTVINE_BUILD_IMAGE=agentvine/base-jdk17 AGENTVINE_RUNTIME_IMAGE=agentvine/base-jre17
#   AGENTVINE_REDIS_IMAGE=agentvine/redis:7 AGENTVINE_POSTGRES_IMAGE=agentvine/postgres:15
#   AGENTVINE_PROMETHEUS_IMAGE=agentvine/prometheus:2
#
# Usage: deploy/build-base-images.sh [--rebuild]     (root, debootstrap and a Docker engine)
# Images that exist are kept unless --rebuild. Environment: DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR,
# DEBIAN_SUITE (bookworm), BASE_IMAGE_PREFIX (agentvine), EXTRA_CA_DIR. Builds use the host network
# (a Docker engine without a bridge network still builds), and nice.
#
# The host's local CA certificates (EXTRA_CA_DIR, default /usr/local/share/ca-certificates, where
# Debian keeps a site's own CAs, such as a TLS-inspecting proxy's) go into the Debian base, so curl,
# git and Java (Maven) in every image trust what the host trusts. Public certificates only.
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")"

MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
SUITE="${DEBIAN_SUITE:-bookworm}"
PREFIX="${BASE_IMAGE_PREFIX:-agentvine}"
EXTRA_CA_DIR="${EXTRA_CA_DIR:-/usr/local/share/ca-certificates}"
REBUILD=false
for arg in "$@"; do
  case "$arg" in
    --rebuild) REBUILD=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SELF"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '%s build-base-images: %s\n' "$(date +%H:%M:%S)" "$*"; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
wanted() { [ "$REBUILD" = true ] || ! have_image "$1"; }

command -v docker >/dev/null || { echo "docker is required" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "no Docker engine answers (start dockerd)" >&2; exit 1; }

debian="$PREFIX/debian:$SUITE"
if wanted "$debian"; then
  [ "$(id -u)" = 0 ] || { echo "debootstrap needs root" >&2; exit 1; }
  command -v debootstrap >/dev/null || { echo "debootstrap is required (apt-get install debootstrap)" >&2; exit 1; }
  rootfs="$(mktemp -d /var/tmp/agentvine-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrap $SUITE (minbase) from $MIRROR"
  nice debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log" >&2; exit 1; }
  rm -f "$rootfs.log"
  cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
  # What the official Debian images set for containers: no recommends, no caches kept in layers.
  cat >"$rootfs/etc/apt/apt.conf.d/90container" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
  extra_cas=()
  [ -d "$EXTRA_CA_DIR" ] && mapfile -t extra_cas < <(find "$EXTRA_CA_DIR" -maxdepth 1 -type f -name '*.crt' | sort)
  if [ ${#extra_cas[@]} -gt 0 ]; then
    log "adding ${#extra_cas[@]} local CA certificate(s) from $EXTRA_CA_DIR"
    cp "${extra_cas[@]}" "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  : >"$rootfs/etc/machine-id"
  log "importing $debian"
  tar -C "$rootfs" --numeric-owner -c . \
    | docker import --change 'ENV LANG=C.UTF-8' --change 'ENV DEBIAN_FRONTEND=noninteractive' \
        --change 'CMD ["bash"]' - "$debian" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
else
  log "$debian exists"
fi

build() {
  local tag="$1" file="$2"
  if wanted "$tag"; then
    log "building $tag"
    local out; out="$(mktemp)"
    if ! nice docker build --network host --build-arg "DEBIAN_IMAGE=$debian" -t "$tag" -f "base/$file" base >"$out" 2>&1; then
      tail -30 "$out" >&2; rm -f "$out"; exit 1
    fi
    rm -f "$out"
  else
    log "$tag exists"
  fi
}
build "$PREFIX/base-jdk17" jdk17.Dockerfile
build "$PREFIX/base-jre17" jre17.Dockerfile
build "$PREFIX/redis:7" redis.Dockerfile
build "$PREFIX/postgres:15" postgres.Dockerfile
build "$PREFIX/prometheus:2" prometheus.Dockerfile
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep "^$PREFIX/" | sed 's/^/  /'
