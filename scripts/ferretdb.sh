#!/usr/bin/env bash
# Builds (once, cached) and starts FerretDB with its SQLite backend on a free
# loopback port, for machines without mongod. Source it: it exports
# MONGODB_URI and stops FerretDB when the sourcing shell exits.
#
#   source scripts/ferretdb.sh && npm test
#
# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` cannot be used
# as is: it fails looking up module deprecations (the proxy refuses the
# module's version list), and a binary built that way panics at start because
# build/version/version.txt is generated only by FerretDB's release tooling.
# So: download the exact module version through the Go module proxy, write
# that version into version.txt in a copy, and build it there.
set -euo pipefail

FERRETDB_VERSION=v1.24.2
FERRETDB_CACHE="${FERRETDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/customer-cards}"
FERRETDB_BIN="$FERRETDB_CACHE/ferretdb-$FERRETDB_VERSION"

build_ferretdb() {
  echo "Building FerretDB $FERRETDB_VERSION (cached in $FERRETDB_CACHE)..."
  local module_dir src
  module_dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  src=$(mktemp -d)
  cp -r "$module_dir/." "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" > "$src/build/version/version.txt"
  mkdir -p "$FERRETDB_CACHE"
  (cd "$src" && go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb)
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

wait_for_port() {
  local port=$1
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "FerretDB did not start listening on port $port; its log:" >&2
  cat "$FERRETDB_DIR/ferretdb.log" >&2
  return 1
}

stop_ferretdb() {
  if [ -n "${FERRETDB_PID:-}" ]; then kill "$FERRETDB_PID" 2>/dev/null || true; wait "$FERRETDB_PID" 2>/dev/null || true; fi
  rm -rf "${FERRETDB_DIR:-}"
}

[ -x "$FERRETDB_BIN" ] || build_ferretdb
FERRETDB_DIR=$(mktemp -d)
FERRETDB_PORT=$(free_port)
"$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$FERRETDB_DIR/" --listen-addr="127.0.0.1:$FERRETDB_PORT" \
  --state-dir="$FERRETDB_DIR" --debug-addr=- --telemetry=disable --log-level=WARN > "$FERRETDB_DIR/ferretdb.log" 2>&1 &
FERRETDB_PID=$!
trap stop_ferretdb EXIT
wait_for_port "$FERRETDB_PORT"
export MONGODB_URI="mongodb://127.0.0.1:$FERRETDB_PORT/"
echo "FerretDB $FERRETDB_VERSION (SQLite) on $MONGODB_URI"
