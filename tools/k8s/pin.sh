#!/usr/bin/env bash
# Pins a Kubernetes release as its own Go module, tools/k8s/<version>/go.mod:
# require k8s.io/kubernetes at that version and replace every staging module
# (k8s.io/api, client-go...) with its matching v0.X.Y tag, read from that
# release's own go.mod. Then add the release to tools/k8s/releases.yaml (the
# supported window) if it is the newest patch of a supported minor.
# Usage: tools/k8s/pin.sh v1.37.3
set -euo pipefail
version=${1:?usage: pin.sh vMAJOR.MINOR.PATCH}
[[ $version =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "pin.sh: not a Kubernetes version: $version" >&2; exit 2; }
staging="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
dir="$(dirname "$0")/$version"
mkdir -p "$dir"
cd "$dir"
gomod=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
gover=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")
modules=$(grep -E '=> \./staging/' "$gomod" | awk '{print $1}')
{
  echo "// Pins Kubernetes $version so its server binaries can be built with 'go build'"
  echo "// (k8s.io/kubernetes cannot be 'go install'ed: its go.mod replaces every staging"
  echo "// module with a local path, which Go ignores in a dependency). Made by tools/k8s/pin.sh."
  echo "module kubelet-tls-conformance/tools/k8s/$version"
  echo
  echo "go $gover"
  echo
  echo "require k8s.io/kubernetes $version"
  echo
  echo "replace ("
  for m in $modules; do echo "	$m => $m $staging"; done
  echo ")"
} > go.mod
rm -f go.sum
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kubeadm; do
  go get -tool "k8s.io/kubernetes/cmd/$cmd@$version"
done
echo "pinned Kubernetes $version in tools/k8s/$version (staging modules $staging)"
