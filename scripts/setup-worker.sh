#!/usr/bin/env bash
# Step 2 of the README's deployment, on each worker: join the K3s cluster of the master as an agent, labelled
# edge-inference/role=worker (the label the inference pods are scheduled by). Safe to run twice.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$SCRIPT_DIR/lib.sh"

USAGE="Usage: ./scripts/setup-worker.sh [--dry-run] <master_ip> <node_token>

  master_ip    the master's address, as printed by ./scripts/setup-master.sh (IPv4 address or host name)
  node_token   the node token printed by setup-master.sh (the content of
               /var/lib/rancher/k3s/server/node-token on the master)
  --dry-run    check the arguments, print what would be done, change nothing
Environment: K3S_VERSION pins the K3s release (use the master's), K3S_INSTALL_URL overrides the installer's address."

WORKER_LABEL="edge-inference/role=worker"
args=()
while (($#)); do
  case "$1" in
  --dry-run) DRY_RUN=1 ;;
  -h | --help)
    printf '%s\n' "$USAGE"
    exit 0
    ;;
  -*) usage_error "unknown option: $1" "$USAGE" ;;
  *) args+=("$1") ;;
  esac
  shift
done
((${#args[@]} == 2)) || usage_error "expected 2 arguments (master_ip and node_token), got ${#args[@]}." "$USAGE"
MASTER="${args[0]}"
TOKEN="${args[1]}"
is_ipv4 "$MASTER" || is_hostname "$MASTER" ||
  usage_error "master_ip '$MASTER' is not an IPv4 address or a host name." "$USAGE"
is_k3s_token "$TOKEN" ||
  usage_error "node_token does not look like a K3s node token (expected K10<64 hex digits>::server:<secret>, as printed by setup-master.sh)." "$USAGE"

INSTALL_URL="${K3S_INSTALL_URL:-https://get.k3s.io}"
SERVER_URL="https://$MASTER:6443"

# --- prerequisites ---------------------------------------------------------------------------------------------
[[ "$(uname -s)" == Linux ]] || die "K3s runs on Linux only."
if [[ "$DRY_RUN" == 1 ]]; then
  report_memory_cgroup
  printf '[dry-run] check that %s answers (curl -k %s/ping)\n' "$SERVER_URL" "$SERVER_URL"
else
  require_root_or_sudo
  require_cmd curl
  require_memory_cgroup
  # Any HTTP answer (even 401) means the K3s supervisor listens; 000 means nothing answered.
  code="$(curl -sk --max-time 5 -o /dev/null -w '%{http_code}' "$SERVER_URL/ping" || true)"
  [[ "$code" != 000 && -n "$code" ]] ||
    die "the master does not answer on $SERVER_URL: is ./scripts/setup-master.sh done there, and is TCP port 6443 open between the machines?"
  info "master answers on $SERVER_URL"
fi

# --- join (skipped when the agent already runs) ----------------------------------------------------------------
if [[ "$DRY_RUN" != 1 ]] && systemctl is-active --quiet k3s-agent 2>/dev/null; then
  info "the K3s agent already runs on this machine: not reinstalling."
  info "if it joined without the worker label, on the master run: kubectl label node $(hostname) $WORKER_LABEL"
else
  install_env=(K3S_URL="$SERVER_URL" INSTALL_K3S_EXEC="agent --node-label $WORKER_LABEL")
  [[ -z "${K3S_VERSION:-}" ]] || install_env+=(INSTALL_K3S_VERSION="$K3S_VERSION")
  # The token is passed in the environment and never printed.
  if [[ "$DRY_RUN" == 1 ]]; then
    printf '[dry-run] curl -sfL %s | %s K3S_TOKEN=<node_token> sh -s -\n' "$INSTALL_URL" "$(quote_cmd env "${install_env[@]}")"
  else
    info "joining $SERVER_URL as an agent labelled $WORKER_LABEL"
    installer="$(mktemp)"
    trap 'rm -f "$installer"' EXIT
    curl -sfL "$INSTALL_URL" -o "$installer" || die "could not download the K3s installer from $INSTALL_URL."
    if [[ "$(id -u)" -eq 0 ]]; then
      env "${install_env[@]}" K3S_TOKEN="$TOKEN" sh "$installer"
    else
      sudo env "${install_env[@]}" K3S_TOKEN="$TOKEN" sh "$installer"
    fi || die "the K3s installer failed (output above)."
  fi
fi

if [[ "$DRY_RUN" == 1 ]]; then
  printf '[dry-run] wait until the k3s-agent service is active (up to 120 s)\n'
else
  wait_until 120 systemctl is-active --quiet k3s-agent ||
    die "the k3s-agent service is not active after 120 s: see 'sudo journalctl -u k3s-agent'."
fi

[[ "$DRY_RUN" != 1 ]] || exit 0
cat <<EOF

Worker $(hostname) joins the cluster at $SERVER_URL with label $WORKER_LABEL.
On the master, 'kubectl get nodes' lists it within a minute; then run ./scripts/deploy.sh there.
EOF
