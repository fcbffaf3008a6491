#!/usr/bin/env bash
# For runners with internet (the nightly): prints the kind node image to test a
# Kubernetes release with, for KTC_KIND_NODE_IMAGE.
#   tools/nightly/kind-node-image.sh vX.Y.Z
# - kind publishes an image for that release (tools/kind/published-node-images.yaml):
#   pull it by digest and print that reference;
# - otherwise: `kind build node-image --type release vX.Y.Z` (kind ≥ v0.32 builds
#   from the official release binaries) with the pinned kind, tagged
#   ktc.local/kind-node:vX.Y.Z-release.
# Machines without a registry need neither: the harness builds its offline image
# (tools/kind/build-node-image.sh) when KTC_KIND_NODE_IMAGE is unset.
set -euo pipefail
version=${1:?usage: kind-node-image.sh vX.Y.Z}
root=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "[kind-node-image] $*" >&2; }

published=$(sed -n "s/^  $version: //p" "$root/tools/kind/published-node-images.yaml")
if [ -n "$published" ]; then
  say "kind publishes $published"
  docker pull -q "$published" >&2
  echo "$published"
  exit 0
fi

say "kind publishes no image for $version: building one from the official release binaries"
kind_bin=$(mktemp -d)
trap 'rm -rf "$kind_bin"' EXIT
(cd "$root/tools/kind/tools-module" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "$kind_bin/kind" sigs.k8s.io/kind)
tag="ktc.local/kind-node:$version-release"
"$kind_bin/kind" build node-image --type release "$version" --image "$tag" >&2
echo "$tag"
