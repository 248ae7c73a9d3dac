#!/usr/bin/env bash
# Step 1 of the README's deployment: make this machine the K3s master (server).
# Installs K3s with the official installer (unless it already runs: safe to run twice), waits until the node is
# Ready, gives the invoking user a kubeconfig, and prints the master IP and the node token that
# ./scripts/setup-worker.sh <master_ip> <node_token> needs on each worker.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$SCRIPT_DIR/lib.sh"

USAGE="Usage: ./scripts/setup-master.sh [--dry-run]

Installs the K3s server on this machine (root or sudo needed) and prints the master IP and node token.
  --dry-run   print what would be done, change nothing
Environment: K3S_VERSION pins the K3s release (e.g. v1.33.4+k3s1; default: the installer's stable channel),
K3S_INSTALL_URL overrides the installer's address (default https://get.k3s.io)."

while (($#)); do
  case "$1" in
  --dry-run) DRY_RUN=1 ;;
  -h | --help)
    printf '%s\n' "$USAGE"
    exit 0
    ;;
  *) usage_error "unknown argument: $1" "$USAGE" ;;
  esac
  shift
done

INSTALL_URL="${K3S_INSTALL_URL:-https://get.k3s.io}"
TOKEN_FILE=/var/lib/rancher/k3s/server/node-token
KUBECONFIG_SRC=/etc/rancher/k3s/k3s.yaml

# --- prerequisites ---------------------------------------------------------------------------------------------
[[ "$(uname -s)" == Linux ]] || die "K3s runs on Linux only."
if [[ "$DRY_RUN" == 1 ]]; then
  report_memory_cgroup
else
  require_root_or_sudo
  require_cmd curl
  require_memory_cgroup
fi

# --- install (skipped when the server already runs) ----------------------------------------------------------
if [[ "$DRY_RUN" != 1 ]] && command -v k3s >/dev/null 2>&1 && systemctl is-active --quiet k3s 2>/dev/null; then
  info "K3s server already installed and running ($(k3s --version | head -n1)): not reinstalling"
else
  info "installing the K3s server with the official installer ($INSTALL_URL)"
  install_env=(INSTALL_K3S_EXEC="server --write-kubeconfig-mode 0600")
  [[ -z "${K3S_VERSION:-}" ]] || install_env+=(INSTALL_K3S_VERSION="$K3S_VERSION")
  if [[ "$DRY_RUN" == 1 ]]; then
    printf '[dry-run] curl -sfL %s | %s sh -s -\n' "$INSTALL_URL" "$(quote_cmd env "${install_env[@]}")"
  else
    installer="$(mktemp)"
    trap 'rm -f "$installer"' EXIT
    curl -sfL "$INSTALL_URL" -o "$installer" || die "could not download the K3s installer from $INSTALL_URL."
    as_root env "${install_env[@]}" sh "$installer" || die "the K3s installer failed (output above)."
  fi
fi

# --- wait until this node is Ready -----------------------------------------------------------------------------
node_ready() {
  local status
  status="$(as_root k3s kubectl get nodes -o \
    'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null)"
  [[ "$status" == *True* ]]
}
if [[ "$DRY_RUN" == 1 ]]; then
  printf '[dry-run] wait until k3s kubectl get nodes shows this node Ready (up to 180 s)\n'
else
  info "waiting for the node to be Ready (up to 180 s)"
  wait_until 180 node_ready || die "the node did not become Ready within 180 s: see 'sudo journalctl -u k3s'."
  info "node Ready"
fi

# --- kubeconfig for the user who ran the script (plain kubectl, deploy.sh) -------------------------------------
target_user="${SUDO_USER:-$(id -un)}"
target_home="$(getent passwd "$target_user" | cut -d: -f6)"
if [[ -n "$target_home" ]]; then
  if [[ -e "$target_home/.kube/config" ]]; then
    info "$target_home/.kube/config exists; left as it is (K3s's is $KUBECONFIG_SRC)"
  else
    as_root install -d -m 0700 -o "$target_user" "$target_home/.kube"
    as_root install -m 0600 -o "$target_user" "$KUBECONFIG_SRC" "$target_home/.kube/config"
  fi
fi

# --- what the workers need -------------------------------------------------------------------------------------
master_ip="$(hostname -I 2>/dev/null | awk '{ print $1 }')"
[[ -n "$master_ip" ]] || master_ip="<this machine's IP address>"
if [[ "$DRY_RUN" == 1 ]]; then
  token="<the content of $TOKEN_FILE>"
else
  token="$(as_root cat "$TOKEN_FILE" 2>/dev/null)" || die "cannot read $TOKEN_FILE."
fi
cat <<EOF

K3s master ready.
  Master IP:  $master_ip
  Node token: $token

On each worker, run:
  ./scripts/setup-worker.sh $master_ip <node_token>
then, back here: ./scripts/deploy.sh
EOF
