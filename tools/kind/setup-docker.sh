#!/usr/bin/env bash
# Makes the Docker engine usable for kind here, as root, idempotently:
#  - on hosts whose capability bounding set lacks CAP_SYS_RESOURCE (bit 24 of
#    CapBnd), installs tools/kind/runc-drop-sys-resource outside the clone and
#    registers it as dockerd's default runtime, because kind runs every node
#    with --privileged and runc refuses to grant a capability the host lacks;
#  - raises the inotify limits as kind's known-issues page advises: every node
#    runs systemd, containerd and a kubelet, and a few clusters at once exhaust
#    the default 128 inotify instances per user (nodes then fail to boot);
#  - starts dockerd when nothing answers on its socket (through systemd when
#    systemd is PID 1, else in the background with its log in
#    /var/log/ktc-dockerd.log), or restarts it when the runtime was just added.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
say() { echo "setup-docker: $*" >&2; }
[ "$(id -u)" -eq 0 ] || { say "must run as root"; exit 1; }
command -v dockerd >/dev/null || { say "dockerd is not installed (Debian package docker.io)"; exit 1; }

for kv in fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288; do
  key=${kv%%=*} want=${kv#*=}
  have=$(sysctl -n "$key")
  if [ "$have" -lt "$want" ]; then sysctl -qw "$kv" && say "$key $have -> $want"; fi
done

wrapper=/usr/local/libexec/kubelet-tls-conformance/runc-drop-sys-resource
config=/etc/docker/daemon.json
changed=0
capbnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
if (((0x$capbnd >> 24) & 1)); then
  say "CAP_SYS_RESOURCE is in the bounding set: Docker's own runc is used"
else
  install -D -m 0755 "$here/runc-drop-sys-resource" "$wrapper.new"
  if ! cmp -s "$wrapper.new" "$wrapper" 2>/dev/null; then mv "$wrapper.new" "$wrapper"; changed=1; else rm -f "$wrapper.new"; fi
  mkdir -p /etc/docker
  [ -s "$config" ] || echo '{}' >"$config"
  want=$(jq --arg w "$wrapper" '.runtimes["ktc-runc"] = {path: $w} | ."default-runtime" = "ktc-runc"' "$config")
  if [ "$want" != "$(jq . "$config")" ]; then
    echo "$want" >"$config"
    changed=1
    say "registered $wrapper as dockerd's default runtime (the host lacks CAP_SYS_RESOURCE)"
  fi
fi

running() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if running && [ "$changed" = 0 ]; then
  say "dockerd is running"
  exit 0
fi
if [ "$(cat /proc/1/comm)" = systemd ]; then
  systemctl restart docker
else
  if pid=$(pgrep -xo dockerd); then
    say "restarting dockerd (pid $pid) to load the runtime"
    kill "$pid"
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { say "dockerd (pid $pid) did not stop within 60 s"; exit 1; }
  fi
  # Detached from this shell and its pipes, so it outlives the caller.
  setsid dockerd </dev/null >>/var/log/ktc-dockerd.log 2>&1 &
fi
for _ in $(seq 150); do
  if running; then
    say "dockerd is running ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 0.2
done
say "dockerd did not answer within 30 s; see /var/log/ktc-dockerd.log"
exit 1
