# shellcheck shell=bash
# Shared helpers for the deployment scripts: messages, checks, dry-run execution, argument validation.
# Sourced, never run: it sets no shell options of its own and changes nothing on the machine.

# Messages go to stderr so that a script's stdout stays for results (an image tag, a URL).
info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}
# Exit 2 is a usage error (bad or missing arguments), as for most command-line tools.
usage_error() {
  printf 'ERROR: %s\n' "$1" >&2
  [[ -n "${2:-}" ]] && printf '%s\n' "$2" >&2
  exit 2
}

require_cmd() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is required but not installed (not found in PATH)."
  done
}

# DRY_RUN=1 makes run() print the command instead of running it.
DRY_RUN="${DRY_RUN:-0}"
run() {
  if [[ "$DRY_RUN" == 1 ]]; then
    printf '[dry-run] %s\n' "$(quote_cmd "$@")"
  else
    printf '+ %s\n' "$(quote_cmd "$@")" >&2
    "$@"
  fi
}
quote_cmd() {
  local out="" arg
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then out+="$arg "; else out+="$(printf '%q' "$arg") "; fi
  done
  printf '%s' "${out% }"
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    run "$@"
  else
    run sudo "$@"
  fi
}
require_root_or_sudo() {
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "run this script as root, or install sudo (it installs a system service)."
    sudo -n true 2>/dev/null || info "sudo will ask for your password."
  fi
}

is_ipv4() {
  local ip="$1" part parts
  [[ "$ip" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
  IFS=. read -r -a parts <<<"$ip"
  for part in "${parts[@]}"; do
    ((10#$part <= 255)) || return 1
  done
}
# A DNS host name (RFC 1123 labels); all-numeric names must be IPv4 addresses instead.
is_hostname() {
  local name="$1"
  [[ ${#name} -le 253 ]] || return 1
  [[ "$name" =~ ^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$ ]] || return 1
  [[ ! "$name" =~ ^[0-9.]+$ ]]
}
# The K3s join token: the secure form from /var/lib/rancher/k3s/server/node-token
# (K10<64 hex>::server:<secret>) or a plain shared secret of at least 16 safe characters.
is_k3s_token() {
  local token="$1"
  [[ "$token" =~ ^K10[0-9a-f]{64}::[A-Za-z0-9._-]+:[A-Za-z0-9._-]+$ ]] && return 0
  [[ "$token" =~ ^[A-Za-z0-9._-]{16,}$ ]]
}

# Memory cgroup: K3s (the kubelet) refuses to start without it. Raspberry Pi OS ships with it disabled.
memory_cgroup_enabled() {
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    grep -qw memory /sys/fs/cgroup/cgroup.controllers
  else
    awk '$1 == "memory" { found = 1; exit ($4 == 1) ? 0 : 1 } END { if (!found) exit 1 }' /proc/cgroups
  fi
}
memory_cgroup_fix() {
  local cmdline=/boot/firmware/cmdline.txt
  [[ -f "$cmdline" ]] || cmdline=/boot/cmdline.txt
  cat >&2 <<EOF
The memory cgroup is disabled on this machine; K3s cannot run without it.
Fix (Raspberry Pi OS): append these words to the single line in $cmdline, then reboot:
    cgroup_memory=1 cgroup_enable=memory
for example:
    sudo sed -i '1 s/\$/ cgroup_memory=1 cgroup_enable=memory/' $cmdline && sudo reboot
Other distributions: add the same words to the kernel command line of your boot loader.
EOF
}
report_memory_cgroup() {
  if memory_cgroup_enabled; then
    info "memory cgroup: enabled"
  else
    warn "memory cgroup: DISABLED (a real run stops here and prints the fix)"
  fi
}
require_memory_cgroup() {
  if ! memory_cgroup_enabled; then
    memory_cgroup_fix
    die "memory cgroup not enabled (see the fix above)."
  fi
}

# Polls "$@" until it succeeds or $1 seconds have passed.
wait_until() {
  local timeout="$1" waited=0
  shift
  until "$@" >/dev/null 2>&1; do
    ((waited >= timeout)) && return 1
    sleep 2
    waited=$((waited + 2))
  done
}
