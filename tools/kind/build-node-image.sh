#!/usr/bin/env bash
# Builds a kind node image with no container registry, for air-gapped machines.
#
#   tools/kind/build-node-image.sh K8S_BIN_DIR TOOLS_BIN_DIR RUNTIME_BIN_DIR IMAGE_TAG
#
# K8S_BIN_DIR holds kubeadm, kubelet, kubectl, kube-apiserver,
# kube-controller-manager and kube-scheduler of one release; TOOLS_BIN_DIR holds
# crictl and etcd; RUNTIME_BIN_DIR containerd, containerd-shim-runc-v2, ctr and
# runc (the harness builds all of them from pinned Go modules). Needs root,
# docker, debootstrap, gcc and jq (tools/setup-host.sh kind installs them).
# The harness runs this once per (release, recipe) and tags the result;
# `docker image inspect` finds it again.
#
# What `kind build node-image` does, done by hand (kind v0.33's own command
# fetches etcd, pause and its base image from registries):
#  1. a Debian bookworm root file system from the machine's apt mirror
#     (debootstrap) with the packages of kind's images/base/Dockerfile;
#  2. kind's images/base/files, read from the pinned sigs.k8s.io/kind module
#     (not copied into this repository), installed as its Dockerfile does;
#  3. the Kubernetes binaries in /usr/bin, /kind/version;
#  4. control-plane images (apiserver, controller-manager, scheduler, etcd,
#     pause), each a one-binary image FROM scratch under the name kubeadm asks
#     for, imported into the node's containerd (namespace k8s.io) by a
#     throwaway containerd on this host whose root is the node's
#     /var/lib/containerd;
#  5. `docker import` of the whole tree as one layer, with kind's ENTRYPOINT.
#
# Differences from kind's own image, and why:
#  - containerd and runc are the releases kind v0.33's base image ships
#    (2.3.4, 1.4.3), built from tools/containerd and tools/runc instead of by
#    kind's Dockerfile (runc static, with seccomp); containerd 2 migrates
#    kind's version 2 config itself, as in kind's own image. The CNI plugins
#    are Debian's.
#  - restrict_oom_score_adj = true: pods ask for oom_score_adj -997/-998, which
#    needs CAP_SYS_RESOURCE; hosts whose bounding set lacks it (ours) would fail
#    every sandbox. With it, containerd clamps the value instead.
#  - no kindnetd, coredns, kube-proxy or local-path images: the harness creates
#    clusters with disableDefaultCNI and kubeProxyMode none (TLS bootstrap needs
#    neither; nodes stay NotReady, as on the binary provider), and kind falls
#    back to a plain storage class without default-storage.yaml.
#  - sandbox image = this kubeadm's pause tag (constants.PauseVersion: 3.10.1
#    for 1.35, 3.10.2 for 1.36 and 1.37) instead of kind's 3.10, so one pause
#    image serves both; pause.c comes from the release's own pinned module.
#  - etcd is the pinned build (tools/etcd, 3.7.0 for all three releases), under
#    its own version's tag, which the provider passes to kubeadm (label
#    io.ktc.etcd-tag): kubeadm 1.35 and 1.36 would ask for 3.6.6-0 and 3.6.8-0.
#  - the kubelet is not started at boot: the image has no
#    /var/lib/kubelet/config.yaml (kind's kubelet.service requires it), and the
#    harness writes it once containerd is up (harness/providers/kind/kubelet-start.ts).
set -euo pipefail

if [ $# -ne 4 ]; then
  sed -n '3,12p' "$0" >&2
  exit 2
fi
k8s_bin=$(realpath "$1") tools_bin=$(realpath "$2") runtime_bin=$(realpath "$3") tag=$4
here=$(cd "$(dirname "$0")" && pwd)
say() { echo "[node-image] $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { say "missing $1: run tools/setup-host.sh kind"; exit 3; }; }
for p in docker debootstrap gcc jq; do need "$p"; done
[ "$(id -u)" -eq 0 ] || { say "must run as root (debootstrap, containerd)"; exit 3; }
for b in kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler; do
  [ -x "$k8s_bin/$b" ] || { say "no $b in $k8s_bin"; exit 3; }
done
for b in crictl etcd; do [ -x "$tools_bin/$b" ] || { say "no $b in $tools_bin"; exit 3; }; done
for b in containerd containerd-shim-runc-v2 ctr runc; do [ -x "$runtime_bin/$b" ] || { say "no $b in $runtime_bin"; exit 3; }; done

version=$("$k8s_bin/kubeadm" version -o short)
# The pause tag is whatever this kubeadm asks for. etcd is the one built from
# tools/etcd, tagged with its own version; the provider tells kubeadm that tag
# (ClusterConfiguration etcd.local.imageTag, read from this image's labels).
pause_tag=$("$k8s_bin/kubeadm" config images list --kubernetes-version "$version" | sed -n 's#.*/pause:##p')
etcd_tag=$("$tools_bin/etcd" --version | awk '/^etcd Version:/ {print $3}')-0
[ -n "$pause_tag" ] && [ "$etcd_tag" != -0 ] || { say "could not tell the pause ($pause_tag) or etcd ($etcd_tag) tag"; exit 3; }
registry=registry.k8s.io # the image names kubeadm's manifests use; nothing is pulled
kind_dir=$(cd "$here/tools-module" && go mod download -json sigs.k8s.io/kind | jq -r .Dir)
[ -d "$kind_dir/images/base/files" ] || { say "kind module has no images/base/files at $kind_dir"; exit 3; }

work=$(mktemp -d /var/tmp/ktc-node-image.XXXXXX)
ctd_pid=""
cleanup() {
  [ -n "$ctd_pid" ] && kill "$ctd_pid" 2>/dev/null && wait "$ctd_pid" 2>/dev/null
  # the throwaway containerd leaves overlay mounts under the root it served
  grep -o " $work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
rootfs=$work/rootfs
t0=$(date +%s)

# 1. Debian root file system, from KTC_DEBIAN_MIRROR or the mirror this host's
#    apt uses when the host is Debian (an Ubuntu mirror has no bookworm).
mirror=${KTC_DEBIAN_MIRROR:-}
if [ -z "$mirror" ] && grep -qx 'ID=debian' /etc/os-release; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$mirror" ] || { say "no Debian mirror: set KTC_DEBIAN_MIRROR to a Debian archive URL (the host's apt sources are used on Debian)"; exit 3; }
packages=systemd,systemd-sysv,dbus,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,bash,ca-certificates,curl,jq,procps,containernetworking-plugins,socat
say "debootstrap bookworm ($packages)"
debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2; say "debootstrap failed"; exit 3; }
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

# 2. kind's base files, with the modes its Dockerfile gives them.
say "kind base files from $kind_dir"
files=$kind_dir/images/base/files
install -m 0755 -D -t "$rootfs/usr/local/bin" "$files"/usr/local/bin/*
mkdir -p "$rootfs/kind/bin" "$rootfs/etc/systemd/system/kubelet.service.d" "$rootfs/etc/kubernetes/manifests"
install -m 0644 "$files/kind/README.txt" "$rootfs/kind/"
install -m 0755 "$files"/kind/bin/* "$rootfs/kind/bin/"
install -m 0644 "$files/etc/crictl.yaml" "$rootfs/etc/"
install -m 0644 -D -t "$rootfs/etc/containerd" "$files"/etc/containerd/*
install -m 0644 -D -t "$rootfs/etc/default" "$files"/etc/default/*
install -m 0644 -D -t "$rootfs/etc/sysctl.d" "$files"/etc/sysctl.d/*
install -m 0644 "$files"/etc/systemd/system/*.service "$files"/etc/systemd/system/*.slice "$rootfs/etc/systemd/system/"
install -m 0644 "$files"/etc/systemd/system/kubelet.service.d/* "$rootfs/etc/systemd/system/kubelet.service.d/"
rm -f "$rootfs/etc/systemd/system/containerd-fuse-overlayfs.service"
# Our changes to kind's containerd config (see the header).
cfg=$rootfs/etc/containerd/config.toml
sed -i -e 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' \
  -e "s#sandbox_image = .*#sandbox_image = \"$registry/pause:$pause_tag\"#" "$cfg"
sed -i -e '/^\[proxy_plugins\]/,/^$/d' "$cfg" # fuse-overlayfs is for rootless only
grep -q 'restrict_oom_score_adj = true' "$cfg" || { say "kind's containerd config changed shape: $cfg"; exit 3; }
# containerd and runc where kind's Dockerfile puts them (its containerd.service
# runs /usr/local/bin/containerd). Debian installs the CNI plugins in
# /usr/lib/cni; containerd's defaults look in /opt/cni/bin.
install -m 0755 "$runtime_bin/containerd" "$runtime_bin/containerd-shim-runc-v2" "$runtime_bin/ctr" "$rootfs/usr/local/bin/"
install -m 0755 -D "$runtime_bin/runc" "$rootfs/usr/local/sbin/runc"
mkdir -p "$rootfs/opt/cni" && ln -sfn /usr/lib/cni "$rootfs/opt/cni/bin"
"$runtime_bin/ctr" oci spec | jq '.hooks.createContainer = [{"path": "/kind/bin/mount-product-files.sh"}] | del(.process.rlimits)' >"$rootfs/etc/containerd/cri-base.json"
# systemd as kind's Dockerfile sets it up for a container.
(
  cd "$rootfs"
  find lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete
  rm -f lib/systemd/system/multi-user.target.wants/* etc/systemd/system/*.wants/* lib/systemd/system/local-fs.target.wants/* \
    lib/systemd/system/sockets.target.wants/*udev* lib/systemd/system/sockets.target.wants/*initctl* lib/systemd/system/basic.target.wants/*
)
echo "ReadKMsg=no" >>"$rootfs/etc/systemd/journald.conf"
chroot "$rootfs" systemctl enable kubelet.service containerd.service undo-mount-hacks.service >/dev/null 2>&1
chroot "$rootfs" systemctl mask systemd-binfmt.service >/dev/null 2>&1
systemctl_ok=$(readlink "$rootfs/etc/systemd/system/multi-user.target.wants/kubelet.service" || true)
[ -n "$systemctl_ok" ] || { say "could not enable kubelet.service in the image"; exit 3; }

# 3. Kubernetes binaries and tools.
install -m 0755 "$k8s_bin/kubeadm" "$k8s_bin/kubelet" "$k8s_bin/kubectl" "$rootfs/usr/bin/"
install -m 0755 "$tools_bin/crictl" "$rootfs/usr/local/bin/"
echo "$version" >"$rootfs/kind/version"

# 4. Control-plane images, from scratch, under the names kubeadm uses.
say "control-plane images ($registry/*:$version, etcd:$etcd_tag, pause:$pause_tag)"
ctx=$work/images
one_binary_image() { # name tag source-binary
  local dir=$ctx/$1
  mkdir -p "$dir"
  cp "$3" "$dir/$1"
  printf 'FROM scratch\nCOPY %s /usr/local/bin/%s\nENTRYPOINT ["/usr/local/bin/%s"]\n' "$1" "$1" "$1" >"$dir/Dockerfile"
  docker build -q -t "$registry/$1:$2" "$dir" >/dev/null 2>>"$work/docker-build.log"
}
for c in kube-apiserver kube-controller-manager kube-scheduler; do one_binary_image "$c" "$version" "$k8s_bin/$c"; done
one_binary_image etcd "$etcd_tag" "$tools_bin/etcd"
mkdir -p "$ctx/pause"
# pause.c from the release's pin (tools/k8s/<version>); a release without one
# (a vendor's build) takes the newest pin's: the file hardly ever changes.
pin_dir=$here/../k8s/$version
[ -f "$pin_dir/go.mod" ] || pin_dir=$(ls -d "$here"/../k8s/v*/ | sort -V | tail -1)
k8s_dir=$(cd "$pin_dir" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' k8s.io/kubernetes)
gcc -Os -static -DVERSION="\"$pause_tag-ktc\"" -o "$ctx/pause/pause" "$k8s_dir/build/pause/linux/pause.c"
printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' >"$ctx/pause/Dockerfile"
docker build -q -t "$registry/pause:$pause_tag" "$ctx/pause" >/dev/null 2>>"$work/docker-build.log"
images=("$registry/kube-apiserver:$version" "$registry/kube-controller-manager:$version" "$registry/kube-scheduler:$version"
  "$registry/etcd:$etcd_tag" "$registry/pause:$pause_tag")
docker save "${images[@]}" >"$work/images.tar"
docker rmi "${images[@]}" >/dev/null

say "importing them into the node's containerd"
mkdir -p "$rootfs/var/lib/containerd" "$work/state"
# NRI off: its socket is one path for the whole host.
printf 'version = 3\ndisabled_plugins = ["io.containerd.nri.v1.nri"]\n[plugins."io.containerd.grpc.v1.cri"]\n  disable_tcp_service = true\n' >"$work/containerd.toml"
"$runtime_bin/containerd" --config "$work/containerd.toml" --root "$rootfs/var/lib/containerd" --state "$work/state" \
  --address "$work/containerd.sock" >"$work/containerd.log" 2>&1 &
ctd_pid=$!
for _ in $(seq 100); do "$runtime_bin/ctr" --address "$work/containerd.sock" version >/dev/null 2>&1 && break; sleep 0.1; done
"$runtime_bin/ctr" --address "$work/containerd.sock" -n k8s.io images import --all-platforms "$work/images.tar" >/dev/null
imported=$("$runtime_bin/ctr" --address "$work/containerd.sock" -n k8s.io images ls -q | grep -c "^$registry/" || true)
[ "$imported" -ge ${#images[@]} ] || { say "only $imported of ${#images[@]} images landed in the node's containerd"; exit 3; }
kill "$ctd_pid" && wait "$ctd_pid" 2>/dev/null || true
ctd_pid=""
grep -o " $rootfs[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true

# 5. One layer, kind's entrypoint.
say "docker import as $tag"
tar -C "$rootfs" --numeric-owner -c . | docker import - "$tag-rootfs" >/dev/null
# docker import cannot set STOPSIGNAL, so the image settings come from a Dockerfile.
mkdir -p "$work/final"
cat >"$work/final/Dockerfile" <<DOCKERFILE
FROM $tag-rootfs
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
LABEL io.ktc.kubernetes-version="$version" io.ktc.recipe="${KTC_NODE_IMAGE_RECIPE:-unset}" io.ktc.etcd-tag="$etcd_tag"
DOCKERFILE
docker build -q -t "$tag" "$work/final" >/dev/null 2>>"$work/docker-build.log"
docker rmi "$tag-rootfs" >/dev/null
say "built $tag in $(($(date +%s) - t0))s"
