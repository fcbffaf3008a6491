#!/usr/bin/env bash
# Entry of `npm test` and `npm run test:harness` on a fresh clone: installs the
# locked npm dependencies when node_modules is missing or older than the lock
# file, then runs the given node program with native ESM for jest.
# `--host-setup=NAME` first runs tools/setup-host.sh NAME (as root only).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[ktc] installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
if [[ "${1:-}" == --host-setup=* ]]; then
  [ "$(id -u)" -eq 0 ] && [ "${KTC_NO_INSTALL:-}" != 1 ] && bash tools/setup-host.sh "${1#--host-setup=}" >&2
  shift
fi
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning "$@"
