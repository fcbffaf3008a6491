#!/usr/bin/env bash
# Lints .github/workflows with actionlint, built once from its Go module (pinned)
# into the cache outside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.7.12
cache=${KTC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubelet-tls-conformance}/tools/actionlint-$version
if [ ! -x "$cache/actionlint" ]; then
  echo "building actionlint $version from its Go module" >&2
  GOBIN="$cache" go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi
"$cache/actionlint" -no-color .github/workflows/*.yml
echo "actionlint $version: .github/workflows clean"
