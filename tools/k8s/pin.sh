#!/usr/bin/env bash
# Pins another Kubernetes release in tools/k8s/go.mod: require k8s.io/kubernetes
# at that version and replace every staging module (k8s.io/api, client-go...)
# with its matching v0.X.Y tag, read from that release's own go.mod.
# Usage: tools/k8s/pin.sh v1.34.5
set -euo pipefail
version=${1:?usage: pin.sh vMAJOR.MINOR.PATCH}
[[ $version =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "pin.sh: not a Kubernetes version: $version" >&2; exit 2; }
staging="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
cd "$(dirname "$0")"
gomod=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
modules=$(grep -E '=> \./staging/' "$gomod" | awk '{print $1}')
{
  sed -n '1,/^module /p' go.mod
  echo
  echo "go 1.24.0"
  echo
  echo "require k8s.io/kubernetes $version"
  echo
  echo "replace ("
  for m in $modules; do echo "	$m => $m $staging"; done
  echo ")"
} > go.mod.new
mv go.mod.new go.mod
rm -f go.sum
for cmd in kube-apiserver kube-controller-manager kubelet kubectl kubeadm; do
  go get -tool "k8s.io/kubernetes/cmd/$cmd@$version"
done
echo "pinned Kubernetes $version (staging modules $staging)"
