#!/usr/bin/env bash
# CI for the container image, with no registry: start dockerd if none answers, make the local Node 20 base image
# (docker/build-base-image.sh, cached by tag), build docker/Dockerfile on it, run the image the way Kubernetes
# will (read-only root filesystem, all capabilities dropped, no privilege escalation) with --network host on a
# free port, wait for its HEALTHCHECK, run tests/test-inference.sh against it, check it runs as a non-root user
# that cannot write its own files, stop it with SIGTERM (it must exit 0), and print the image size.
#
#   scripts/ci-container-test.sh          (as root when dockerd has to be started)
# Environment: BASE_IMAGE (skip making the base image), IMAGE (default edge-inference-server:ci),
# KEEP_DOCKERD=1 (leave a dockerd this script started running).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$ROOT/scripts/lib.sh"
cd "$ROOT"

case "${1:-}" in
"") ;;
-h | --help)
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
*) usage_error "unknown argument: $1" "Usage: $0" ;;
esac

IMAGE="${IMAGE:-edge-inference-server:ci}"
CONTAINER="edge-inference-ci-$$"
LOG_DIR="$(mktemp -d)"
DOCKERD_PID=""
START=$SECONDS

cleanup() {
  local rc=$?
  docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
  if [[ -n "$DOCKERD_PID" && "${KEEP_DOCKERD:-0}" != 1 ]]; then
    info "stopping the dockerd this script started (pid $DOCKERD_PID)"
    kill "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do
      kill -0 "$DOCKERD_PID" 2>/dev/null || break
      sleep 1
    done
  fi
  rm -rf "$LOG_DIR"
  exit "$rc"
}
trap cleanup EXIT

require_cmd docker curl
if ! docker info >/dev/null 2>&1; then
  require_cmd dockerd
  [[ "$(id -u)" -eq 0 ]] || die "no Docker daemon answers and starting one needs root."
  info "starting dockerd --bridge=none --iptables=false (no bridge network: containers use --network host)"
  dockerd --bridge=none --iptables=false >"$LOG_DIR/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  wait_until 60 docker info || {
    tail -n 20 "$LOG_DIR/dockerd.log" >&2
    die "dockerd did not answer within 60 s (log above)."
  }
fi

# 1. Base image (local stand-in for node:20-bookworm-slim), then the project image on it.
if [[ -z "${BASE_IMAGE:-}" ]]; then
  BASE_IMAGE="$("$ROOT/docker/build-base-image.sh")"
fi
info "building $IMAGE on $BASE_IMAGE"
build_env=()
# Without the buildx plugin the docker CLI needs to be told to use the classic builder.
docker buildx version >/dev/null 2>&1 || build_env=(env DOCKER_BUILDKIT=0)
build_start=$SECONDS
"${build_env[@]}" docker build --network host --build-arg BASE_IMAGE="$BASE_IMAGE" \
  -f docker/Dockerfile -t "$IMAGE" . >"$LOG_DIR/build.log" 2>&1 || {
  tail -n 40 "$LOG_DIR/build.log" >&2
  die "docker build failed (last lines above)."
}
build_seconds=$((SECONDS - build_start))

user="$(docker image inspect -f '{{.Config.User}}' "$IMAGE")"
[[ -n "$user" && "$user" != root && "${user%%:*}" != 0 ]] || die "image $IMAGE runs as root (USER '$user')."
[[ "$(docker image inspect -f '{{if .Config.Healthcheck}}yes{{end}}' "$IMAGE")" == yes ]] ||
  die "image $IMAGE has no HEALTHCHECK."

# 2. Run it as Kubernetes will, on a free loopback port.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n "$port" ]] || die "found no free port on 127.0.0.1."
info "running $IMAGE on 127.0.0.1:$port (read-only, no capabilities)"
docker run -d --name "$CONTAINER" --network host --read-only --tmpfs /tmp:rw,size=16m \
  --cap-drop ALL --security-opt no-new-privileges \
  -e PORT="$port" -e HOST=127.0.0.1 -e NODE_NAME=ci -e SHUTDOWN_GRACE_MS=5000 \
  --health-interval 2s --health-start-period 60s "$IMAGE" >/dev/null

dump_logs() { docker logs --tail 40 "$CONTAINER" >&2 || true; }
health=""
for _ in $(seq 1 45); do
  state="$(docker inspect -f '{{.State.Running}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$CONTAINER")"
  health="${state#* }"
  [[ "${state%% *}" == true ]] || {
    dump_logs
    die "the container exited before becoming healthy (logs above)."
  }
  [[ "$health" == healthy ]] && break
  sleep 2
done
[[ "$health" == healthy ]] || {
  dump_logs
  die "the container's HEALTHCHECK did not report healthy within 90 s (status: ${health:-none})."
}
info "HEALTHCHECK reports healthy"

uid="$(docker exec "$CONTAINER" node -e 'process.stdout.write(String(process.getuid()))')"
[[ "$uid" != 0 ]] || die "the server process runs as root."
docker exec "$CONTAINER" node -e '
  const fs = require("node:fs");
  for (const p of ["/app/dist", "/app/node_modules", "/app/models"]) {
    try { fs.accessSync(p, fs.constants.W_OK); console.error(p + " is writable by the server user"); process.exit(1); }
    catch {}
  }' || die "the image lets the server user write its own code or models."
info "server runs as uid $uid and cannot write /app"

# 3. The smoke test, exactly as a user runs it.
WAIT_SECONDS=30 "$ROOT/tests/test-inference.sh" "http://127.0.0.1:$port" || {
  dump_logs
  die "tests/test-inference.sh failed against the container (server logs above)."
}

# 4. SIGTERM (docker stop, like a Kubernetes rolling update) must drain and exit 0.
stop_start=$SECONDS
docker stop -t 30 "$CONTAINER" >/dev/null
exit_code="$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")"
[[ "$exit_code" == 0 ]] || {
  dump_logs
  die "after SIGTERM the server exited with code $exit_code (expected 0 after draining)."
}
info "SIGTERM: exited 0 after $((SECONDS - stop_start)) s"

size="$(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
base_size="$(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
printf 'container test passed: image %s is %s (base %s is %s); build %d s, whole test %d s\n' \
  "$IMAGE" "$size" "$BASE_IMAGE" "$base_size" "$build_seconds" "$((SECONDS - START))"
