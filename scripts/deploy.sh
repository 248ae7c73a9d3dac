#!/usr/bin/env bash
# Step 3 of the README's deployment, on the master: build the image, put it on every worker, apply the manifests.
#
# There is no registry: the image is built with docker here, saved once per CPU architecture the workers have,
# and imported into each worker's containerd with `docker save | ssh <worker> sudo k3s ctr images import -`
# (so this machine needs docker, and passwordless SSH + sudo to each worker). Then the InfluxDB credentials
# are generated in the cluster (Secret influxdb-auth, only if absent), `kubectl apply -k kubernetes/` runs with
# the new image tag, and the script waits for every rollout and prints the service URL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$ROOT/scripts/lib.sh"

USAGE="Usage: ./scripts/deploy.sh [--dry-run] [--tag TAG] [--skip-build] [--no-import]

  --dry-run     print every step and command, change nothing (no docker, no ssh, no kubectl apply)
  --tag TAG     image tag to build and deploy (default: <package version>-<UTC time>, so each deploy rolls)
  --skip-build  deploy an image edge-inference-server:TAG that already exists locally (needs --tag)
  --no-import   do not copy the image to the workers (they get it some other way, e.g. a registry)
Environment: SSH_USER (default: you), SSH_OPTS (extra ssh options), BASE_IMAGE (docker build's base image),
KUBECTL (default: kubectl, else 'k3s kubectl'), ROLLOUT_TIMEOUT (default 300s)."

IMAGE_NAME=edge-inference-server
NAMESPACE=default
WORKER_LABEL_KEY=edge-inference/role
WORKER_LABEL="$WORKER_LABEL_KEY=worker"
SECRET=influxdb-auth
INFLUX_ADMIN_USER="admin"
INFLUX_USER="edge"
ROLLOUT_TIMEOUT="${ROLLOUT_TIMEOUT:-300s}"
TAG=""
SKIP_BUILD=0
IMPORT=1
while (($#)); do
  case "$1" in
  --dry-run) DRY_RUN=1 ;;
  --tag)
    (($# >= 2)) || usage_error "--tag needs a value" "$USAGE"
    TAG="$2"
    shift
    ;;
  --skip-build) SKIP_BUILD=1 ;;
  --no-import) IMPORT=0 ;;
  -h | --help)
    printf '%s\n' "$USAGE"
    exit 0
    ;;
  *) usage_error "unknown argument: $1" "$USAGE" ;;
  esac
  shift
done
[[ -z "$TAG" || "$TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || usage_error "--tag '$TAG' is not a valid image tag" "$USAGE"
[[ "$TAG" != latest ]] || usage_error "--tag latest is refused: every deploy needs its own tag so the pods roll" "$USAGE"
[[ "$SKIP_BUILD" == 0 || -n "$TAG" ]] || usage_error "--skip-build needs --tag (which local image to deploy)" "$USAGE"
if [[ -z "$TAG" ]]; then
  version="$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' "$ROOT/package.json" | head -n1)"
  TAG="${version:-0.0.0}-$(date -u +%Y%m%d%H%M%S)"
fi
IMAGE="$IMAGE_NAME:$TAG"

if [[ -n "${KUBECTL:-}" ]]; then
  read -r -a KUBECTL_CMD <<<"$KUBECTL"
elif command -v kubectl >/dev/null 2>&1; then
  KUBECTL_CMD=(kubectl)
elif command -v k3s >/dev/null 2>&1; then
  KUBECTL_CMD=(k3s kubectl)
else
  die "kubectl not found (on the master, ./scripts/setup-master.sh installs K3s, which provides it)."
fi
kube() { "${KUBECTL_CMD[@]}" --namespace "$NAMESPACE" "$@"; }
# Debian architecture names, as Kubernetes and Docker use them.
host_arch() {
  case "$(uname -m)" in
  x86_64) echo amd64 ;;
  aarch64 | arm64) echo arm64 ;;
  armv7l | armv6l) echo arm ;;
  *) uname -m ;;
  esac
}

info "deploying $IMAGE$([[ "$DRY_RUN" == 1 ]] && printf ' (dry run: nothing is changed)')"

# --- 0. the manifests render (a local check, no cluster needed) -------------------------------------------------
OVERLAY="$(mktemp -d)"
trap 'rm -rf "$OVERLAY"' EXIT
# A throw-away overlay that only sets the image tag, so the repository's kustomization stays untouched.
cat >"$OVERLAY/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(realpath --relative-to="$OVERLAY" "$ROOT/kubernetes")
images:
  - name: $IMAGE_NAME
    newTag: "$TAG"
EOF
rendered="$("${KUBECTL_CMD[@]}" kustomize "$OVERLAY")" || die "kubectl kustomize kubernetes/ failed (error above)."
objects="$(awk '/^kind:/ { kind = $2 } /^  name:/ && kind { print kind "/" $2; kind = "" }' <<<"$rendered")"
info "manifests render: $(wc -l <<<"$objects") objects"

# --- 1. the cluster and its workers ----------------------------------------------------------------------------
workers=""
if kube get nodes --request-timeout=10s >/dev/null 2>&1; then
  workers="$(kube get nodes -l "$WORKER_LABEL" -o \
    'jsonpath={range .items[*]}{.metadata.name} {.status.nodeInfo.architecture} {.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}')"
  if [[ -z "$workers" ]]; then
    msg="no node carries the label $WORKER_LABEL, so the inference pods cannot be scheduled. Run ./scripts/setup-worker.sh on each worker, or label one: kubectl label node <name> $WORKER_LABEL"
    if [[ "$DRY_RUN" == 1 ]]; then warn "$msg"; else die "$msg"; fi
  fi
elif [[ "$DRY_RUN" == 1 ]]; then
  warn "no cluster answers (kubectl get nodes failed): the plan below uses placeholders for the workers."
else
  die "no cluster answers to '${KUBECTL_CMD[*]} get nodes': run ./scripts/setup-master.sh first (or set KUBECONFIG)."
fi
if [[ -n "$workers" ]]; then
  info "workers:"
  while read -r name arch ip; do info "  $name ($arch, $ip)"; done <<<"$workers"
  archs="$(awk '{ print $2 }' <<<"$workers" | sort -u)"
else
  workers="<worker> <arch> <worker-ip>"
  archs="$(host_arch)"
fi

# --- 2. build, once per worker architecture --------------------------------------------------------------------
WORK="$(mktemp -d)"
trap 'rm -rf "$OVERLAY" "$WORK"' EXIT
build_args=(-f "$ROOT/docker/Dockerfile" -t "$IMAGE")
[[ -z "${BASE_IMAGE:-}" ]] || build_args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
if [[ "$DRY_RUN" == 1 ]]; then
  local_arch="$(host_arch)"
else
  require_cmd docker
  local_arch="$(docker version -f '{{.Server.Arch}}')" || die "cannot reach the Docker daemon (docker version failed)."
fi
for arch in $archs; do
  tarball="$WORK/image-$arch.tar"
  if [[ "$SKIP_BUILD" == 1 ]]; then
    info "using the existing local image $IMAGE ($arch)"
  elif [[ "$arch" == "$local_arch" ]]; then
    info "building $IMAGE for $arch"
    run docker build "${build_args[@]}" "$ROOT"
  else
    # Another architecture than this machine's (e.g. an amd64 master, arm64 Raspberry Pi workers).
    [[ "$DRY_RUN" == 1 ]] || docker buildx version >/dev/null 2>&1 ||
      die "the workers are $arch but this machine builds $local_arch: install the docker buildx plugin and QEMU user emulation (qemu-user-static) or build on a $arch machine."
    info "building $IMAGE for $arch (cross-build with buildx)"
    run docker buildx build --platform "linux/$arch" --load "${build_args[@]}" "$ROOT"
  fi
  if [[ "$IMPORT" == 1 ]]; then
    run docker save -o "$tarball" "$IMAGE"
  fi
  # --- 3. import into each worker of that architecture ---------------------------------------------------------
  while read -r name warch ip; do
    [[ "$warch" == "$arch" || "$warch" == "<arch>" ]] || continue
    if [[ "$IMPORT" != 1 ]]; then
      info "not importing into $name (--no-import)"
    elif hostname -I 2>/dev/null | tr ' ' '\n' | grep -qxF "$ip"; then
      info "importing into this machine's containerd ($name)"
      if [[ "$DRY_RUN" == 1 ]]; then printf '[dry-run] sudo k3s ctr images import %s\n' "$tarball"; else as_root k3s ctr images import "$tarball"; fi
    else
      target="${SSH_USER:-$(id -un)}@$ip"
      info "importing into $name over ssh ($target)"
      if [[ "$DRY_RUN" == 1 ]]; then
        printf '[dry-run] ssh %s sudo k3s ctr images import - < %s\n' "$target" "$tarball"
      else
        # shellcheck disable=SC2086 # SSH_OPTS is a list of options
        ssh ${SSH_OPTS:-} "$target" sudo k3s ctr images import - <"$tarball" ||
          die "importing the image into $name failed: check 'ssh $target sudo k3s ctr version' works without a password."
      fi
    fi
  done <<<"$workers"
  [[ "$DRY_RUN" == 1 || "$IMPORT" != 1 ]] || rm -f "$tarball"
done

# --- 4. InfluxDB credentials: generated once, in the cluster only ------------------------------------------------
if [[ "$DRY_RUN" != 1 ]] && kube get secret "$SECRET" >/dev/null 2>&1; then
  info "secret $SECRET exists: keeping its credentials (InfluxDB created its users with them)"
elif [[ "$DRY_RUN" == 1 ]]; then
  printf '[dry-run] create secret %s unless it exists: admin-user=%s, admin-password=<random>, user=%s, user-password=<random>\n' \
    "$SECRET" "$INFLUX_ADMIN_USER" "$INFLUX_USER"
else
  info "creating secret $SECRET with random passwords (user $INFLUX_USER, admin $INFLUX_ADMIN_USER)"
  secret_dir="$WORK/secret"
  (umask 077 && mkdir "$secret_dir")
  random_password() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }
  printf '%s' "$INFLUX_ADMIN_USER" >"$secret_dir/admin-user"
  random_password >"$secret_dir/admin-password"
  printf '%s' "$INFLUX_USER" >"$secret_dir/user"
  random_password >"$secret_dir/user-password"
  kube create secret generic "$SECRET" --from-file="$secret_dir" >/dev/null
  rm -rf "$secret_dir"
fi

# --- 5. worker role label (what kubectl get nodes shows as ROLES) ------------------------------------------------
while read -r name _ _; do
  [[ "$name" == "<worker>" ]] && name="<each worker>"
  run "${KUBECTL_CMD[@]}" label node "$name" node-role.kubernetes.io/worker=true --overwrite
done <<<"$workers"

# --- 6. apply and wait -----------------------------------------------------------------------------------------
info "applying kubernetes/ with image $IMAGE:"
while read -r object; do info "  $object"; done <<<"$objects"
run "${KUBECTL_CMD[@]}" apply -k "$OVERLAY"
for rollout in statefulset/influxdb deployment/prometheus daemonset/node-exporter deployment/ml-inference; do
  run "${KUBECTL_CMD[@]}" --namespace "$NAMESPACE" rollout status "$rollout" --timeout="$ROLLOUT_TIMEOUT"
done

# --- 7. where it answers ---------------------------------------------------------------------------------------
if [[ "$DRY_RUN" == 1 ]]; then
  url="http://<service_ip>:8080"
else
  url="http://$(kube get service ml-inference -o 'jsonpath={.spec.clusterIP}'):$(kube get service ml-inference -o 'jsonpath={.spec.ports[0].port}')"
fi
cat <<EOF

$([[ "$DRY_RUN" == 1 ]] && printf 'Would deploy' || printf 'Deployed') $IMAGE.
  Inference service (from the cluster's nodes): $url
      curl -X POST -H "Content-Type: application/json" -d '{"input": [1.0, 2.0, 3.0, 4.0]}' $url/predict
  From outside, through Traefik: http://<any node's IP>/predict
  Test:        ./tests/test-inference.sh
  Prometheus:  kubectl port-forward service/prometheus 9090:9090   -> http://localhost:9090
  InfluxDB:    kubectl port-forward service/influxdb 8086:8086     (credentials: kubectl get secret $SECRET)
  Logs:        kubectl logs -l app=ml-inference
EOF
