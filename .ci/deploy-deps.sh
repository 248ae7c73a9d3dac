#!/usr/bin/env bash
# Installs what the deployment tests and the container CI step need on a Debian machine, skipping what is there.
# Debian packages: shellcheck (script linting), curl (tests/test-inference.sh), docker.io (dockerd and docker),
# debootstrap (the local base image), prometheus (promtool); and kubectl (kubectl kustomize). Idempotent; as root.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
missing=()
for pair in shellcheck:shellcheck curl:curl dockerd:docker.io debootstrap:debootstrap promtool:prometheus; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
# kubectl: machines of this kind come with one; elsewhere Debian's kubernetes-client provides it (with kustomize).
updated=0
if ! command -v kubectl >/dev/null 2>&1; then
  apt-get update -qq && updated=1
  missing+=(kubernetes-client)
fi
if ((${#missing[@]})); then
  ((updated)) || apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
fi
