#!/usr/bin/env bash
# Installs the host programs the binary provider runs besides the Kubernetes
# binaries (which are built from tools/k8s or downloaded): etcd, the CNI
# plugins, the network tools for the per-node network namespaces, and what
# building the node runtime needs (containerd 2 and runc from tools/containerd
# and tools/runc: gcc, pkg-config and libseccomp-dev, since runc is built with
# cgo and seccomp). With the argument `harness-tests`, also Chromium, which
# the harness's report test drives. Debian/Ubuntu, as root. Idempotent:
# installs only what is missing. `npm test` runs it by itself when a program
# is missing; `npm run test:harness` runs it with `harness-tests`.
# With `kind` (what `npm test -- --provider kind` runs): also the Docker engine
# (Debian's docker.io), debootstrap and jq for the offline node image, and
# tools/kind/setup-docker.sh to start dockerd and, on hosts whose capability
# bounding set lacks CAP_SYS_RESOURCE, register the runc wrapper.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-host: must run as root (apt-get install)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-host: no apt-get here; install etcd, iproute2, util-linux, the CNI plugins, gcc, pkg-config and libseccomp (headers and static library) with your package manager" >&2
  exit 1
fi

# program:package pairs
wanted=(etcd:etcd-server ip:iproute2 nsenter:util-linux gcc:gcc pkg-config:pkg-config)
mode=${1:-}
[ "$mode" = harness-tests ] && wanted+=(chromium:chromium)
[ "$mode" = harness-tests ] || [ "$mode" = kind ] && wanted+=(dockerd:docker.io debootstrap:debootstrap jq:jq)
missing=()
for pair in "${wanted[@]}"; do
  prog=${pair%%:*} pkg=${pair#*:}
  command -v "$prog" >/dev/null 2>&1 || missing+=("$pkg")
done
[ -d /usr/lib/cni ] || missing+=(containernetworking-plugins)
# runc's static build links libseccomp.a (harness/runtime/node-runtime.ts).
dpkg-query -W -f='${Status}' libseccomp-dev 2>/dev/null | grep -q 'ok installed' || missing+=(libseccomp-dev)
# debootstrap of Debian bookworm needs Debian's keyring (already there on Debian; not on Ubuntu).
if [ "$mode" = harness-tests ] || [ "$mode" = kind ]; then
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
fi

docker_setup() {
  if [ "$mode" = harness-tests ] || [ "$mode" = kind ]; then
    bash "$(dirname "$0")/kind/setup-docker.sh"
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-host: all host programs present"
  docker_setup
  exit 0
fi
# shellcheck disable=SC2207
missing=($(printf '%s\n' "${missing[@]}" | sort -u))
echo "setup-host: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts packaged daemons through systemd where there is one; the
# harness runs its own etcd and containerd, so the ones this script just
# installed must not hold ports or sockets. A service that was there before
# (say the containerd a runner's Docker runs on) is left alone.
for pair in etcd:etcd-server containerd:containerd; do
  svc=${pair%%:*} pkg=${pair#*:}
  [[ " ${missing[*]} " == *" $pkg "* ]] || continue
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
  fi
done
docker_setup
echo "setup-host: done"
