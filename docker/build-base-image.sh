#!/usr/bin/env bash
# Makes a local stand-in for the official node:20-bookworm-slim image without any container registry:
# debootstrap a minimal Debian root filesystem from Debian's packages, copy in this machine's Node.js 20 and npm
# (same layout as the official image: /usr/local/bin/node, /usr/local/lib/node_modules/npm), `docker import` it.
# The tag encodes the inputs (this script, Node version, suite, architecture, CA bundle), so a re-run finds the
# image already there and returns at once. Prints the image tag on stdout; progress goes to stderr.
#
#   BASE_IMAGE=$(docker/build-base-image.sh) && docker build --build-arg BASE_IMAGE="$BASE_IMAGE" -f docker/Dockerfile .
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=../scripts/lib.sh
source "$SCRIPT_DIR/../scripts/lib.sh"

USAGE="Usage: docker/build-base-image.sh [--name NAME] [--suite SUITE] [--mirror URL] [--no-host-ca] [--force] [--print-tag]

  --name NAME    image repository name (default: edge-inference-base)
  --suite SUITE  Debian suite to bootstrap (default: bookworm, as node:20-bookworm-slim)
  --mirror URL   Debian mirror (default: \$DEBIAN_MIRROR, else the first matching entry of this machine's apt
                 sources, else debootstrap's own default)
  --no-host-ca   do not copy this machine's CA bundle into the image (by default it is copied and named in
                 NODE_EXTRA_CA_CERTS, so npm inside 'docker build' trusts what this machine trusts, e.g. a
                 TLS-intercepting proxy)
  --force        rebuild even if an image with the computed tag exists
  --print-tag    print the tag this machine's inputs give, build nothing

Needs root (debootstrap), docker with a running daemon, debootstrap, and Node.js 20 in PATH."

NAME=edge-inference-base
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-}"
HOST_CA=1
FORCE=0
PRINT_TAG=0
while (($#)); do
  case "$1" in
  --name)
    (($# >= 2)) || usage_error "--name needs a value" "$USAGE"
    NAME="$2"
    shift
    ;;
  --suite)
    (($# >= 2)) || usage_error "--suite needs a value" "$USAGE"
    SUITE="$2"
    shift
    ;;
  --mirror)
    (($# >= 2)) || usage_error "--mirror needs a value" "$USAGE"
    MIRROR="$2"
    shift
    ;;
  --no-host-ca) HOST_CA=0 ;;
  --force) FORCE=1 ;;
  --print-tag) PRINT_TAG=1 ;;
  -h | --help)
    printf '%s\n' "$USAGE"
    exit 0
    ;;
  *) usage_error "unknown argument: $1" "$USAGE" ;;
  esac
  shift
done
[[ "$NAME" =~ ^[a-z0-9]+([._/-][a-z0-9]+)*$ ]] || usage_error "--name '$NAME' is not a valid image name" "$USAGE"
[[ "$SUITE" =~ ^[a-z]+$ ]] || usage_error "--suite '$SUITE' is not a Debian suite name" "$USAGE"

require_cmd sha256sum dpkg
NODE_BIN="$(command -v node || true)"
[[ -n "$NODE_BIN" ]] || die "node is not in PATH: this script copies the machine's Node.js 20 into the image."
NODE_BIN="$(readlink -f "$NODE_BIN")"
NODE_VERSION="$("$NODE_BIN" --version)"
[[ "$NODE_VERSION" =~ ^v20\.[0-9]+\.[0-9]+$ ]] ||
  die "node in PATH is $NODE_VERSION ($NODE_BIN); the image needs Node.js 20 (the project's engines and BASE_IMAGE default)."
NPM_DIR="$(dirname "$NODE_BIN")/../lib/node_modules/npm"
[[ -f "$NPM_DIR/bin/npm-cli.js" ]] || NPM_DIR="$(dirname "$(readlink -f "$(command -v npm)")")/.."
[[ -f "$NPM_DIR/bin/npm-cli.js" ]] || die "cannot find npm beside $NODE_BIN (looked for lib/node_modules/npm)."
NPM_DIR="$(readlink -f "$NPM_DIR")"
ARCH="$(dpkg --print-architecture)"

CA_BUNDLE=""
if [[ "$HOST_CA" == 1 ]]; then
  CA_BUNDLE="${BASE_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
  [[ -f "$CA_BUNDLE" ]] || {
    warn "no CA bundle at $CA_BUNDLE; building without one (set BASE_CA_BUNDLE to use another file)."
    CA_BUNDLE=""
  }
fi

inputs_hash() {
  {
    sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1
    printf '%s %s %s\n' "$NODE_VERSION" "$SUITE" "$ARCH"
    sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$NPM_DIR/package.json" | head -n1
    [[ -z "$CA_BUNDLE" ]] || sha256sum "$CA_BUNDLE" | cut -d' ' -f1
  } | sha256sum | cut -c1-12
}
TAG="$NAME:node${NODE_VERSION#v}-$SUITE-$ARCH-$(inputs_hash)"
if [[ "$PRINT_TAG" == 1 ]]; then
  printf '%s\n' "$TAG"
  exit 0
fi

require_cmd docker debootstrap tar chroot
[[ "$(id -u)" -eq 0 ]] || die "debootstrap needs root: run this script as root (e.g. with sudo)."
docker info >/dev/null 2>&1 || die "cannot reach the Docker daemon (is dockerd running? see scripts/ci-container-test.sh)."

if [[ "$FORCE" == 0 ]] && docker image inspect "$TAG" >/dev/null 2>&1; then
  info "base image $TAG already exists (use --force to rebuild)"
  printf '%s\n' "$TAG"
  exit 0
fi

# The mirror this machine's apt already uses for the suite (one-line or deb822 sources), so no host is named here.
detect_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    awk -v suite="$SUITE" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\//) { uri = $i; break }
      for (j = i + 1; j <= NF; j++) if ($j == suite) { print uri; exit } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk -v suite="$SUITE" 'BEGIN { RS = ""; FS = "\n" }
      { uri = ""; ok = 0; off = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { split($i, u, /[ \t]+/); uri = u[2] }
          if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (k = 2; k <= n; k++) if (s[k] == suite) ok = 1 }
          if ($i ~ /^Enabled:[ \t]*no/) off = 1
        }
        if (ok && !off && uri ~ /^https?:\/\//) { print uri; exit } }' "$f"
  done
}
[[ -n "$MIRROR" ]] || MIRROR="$(detect_mirror | head -n1)"

WORKDIR=""
cleanup() {
  [[ -n "$WORKDIR" && -d "$WORKDIR" ]] || return 0
  # debootstrap mounts /proc and /sys inside the rootfs; never let rm reach through a mount left by a failure.
  awk -v d="$WORKDIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" || true
  done
  rm -rf --one-file-system "$WORKDIR"
}
trap cleanup EXIT
WORKDIR="$(mktemp -d "${BASE_WORKDIR:-/var/tmp}/edge-base.XXXXXX")"
ROOTFS="$WORKDIR/rootfs"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/edge-inference-server/debootstrap-$SUITE-$ARCH"
mkdir -p "$CACHE_DIR"

info "debootstrap $SUITE ($ARCH, minbase) from ${MIRROR:-the default mirror of debootstrap}"
debootstrap_args=(--variant=minbase --arch="$ARCH" --cache-dir="$CACHE_DIR" "$SUITE" "$ROOTFS")
[[ -z "$MIRROR" ]] || debootstrap_args+=("$MIRROR")
debootstrap "${debootstrap_args[@]}" >"$WORKDIR/debootstrap.log" 2>&1 || {
  tail -n 30 "$WORKDIR/debootstrap.log" >&2
  die "debootstrap failed (last lines above)."
}

info "adding Node.js $NODE_VERSION and npm from this machine"
install -D -m 0755 "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
mkdir -p "$ROOTFS/usr/local/lib/node_modules"
cp -a "$NPM_DIR" "$ROOTFS/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
if [[ -n "$CA_BUNDLE" ]]; then
  install -D -m 0644 "$CA_BUNDLE" "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
fi
# The official image's unprivileged user, so Dockerfiles written for it work unchanged.
chroot "$ROOTFS" groupadd --gid 1000 node
chroot "$ROOTFS" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

chroot "$ROOTFS" /usr/local/bin/node -e 'process.exit(process.version.startsWith("v20.") ? 0 : 1)' ||
  die "the copied node does not run inside the Debian $SUITE rootfs (missing shared libraries?)."
chroot "$ROOTFS" /usr/local/bin/npm --version >/dev/null || die "the copied npm does not run inside the rootfs."

info "trimming the rootfs (package caches, docs, logs, host files)"
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/lib/apt/lists/* \
  "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/var/log/* \
  "$ROOTFS"/tmp/* "$ROOTFS"/root/.npm "$ROOTFS/etc/resolv.conf" "$ROOTFS/etc/hostname"
: >"$ROOTFS/etc/machine-id"

info "importing as $TAG"
changes=(
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change "ENV NODE_VERSION=${NODE_VERSION#v}"
  --change "LABEL org.opencontainers.image.description=\"Local stand-in for node:20-$SUITE-slim (debootstrap + host Node.js $NODE_VERSION)\""
  --change 'CMD ["node"]'
)
[[ -z "$CA_BUNDLE" ]] || changes+=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
tar --numeric-owner -C "$ROOTFS" -cf - . | docker import "${changes[@]}" - "$TAG" >/dev/null
info "base image $TAG: $(docker image inspect -f '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
printf '%s\n' "$TAG"
