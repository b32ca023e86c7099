#!/usr/bin/env bash
# Runs the benchmark with as many file descriptors as this shell may have: every socket is
# one descriptor in the server and one in a generator process.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)" || true
if [ "$(ulimit -n)" -lt 100000 ]; then
  echo "note: ulimit -Hn is $(ulimit -Hn): idle connections per server process are capped below it" >&2
fi
exec node --conditions=source --import tsx bench/main.ts "$@"
