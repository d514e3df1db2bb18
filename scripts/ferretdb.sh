#!/usr/bin/env bash
# Builds (once, cached) and starts FerretDB with its SQLite backend on a free
# loopback port, for machines without mongod. Needs bash, node and, for the
# first build only, Go (https://go.dev/dl).
#
#   source scripts/ferretdb.sh && npm test   # exports MONGODB_URI in this shell
#   scripts/ferretdb.sh npm test             # runs one command against it
#   scripts/ferretdb.sh                      # runs until Ctrl-C
#
# Sourced, it exports MONGODB_URI, FERRETDB_BIN (the binary), FERRETDB_DIR (its
# data and log), FERRETDB_PORT and FERRETDB_PID, and stops FerretDB when the
# shell exits (after any EXIT trap the shell already had) or on `ferretdb_stop`.
#
# Every step is checked by hand: a sourced script cannot rely on `set -e`
# (bash ignores it on the left of `&&`) and must not change the caller's options.
#
# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` cannot be used
# as is: it fails looking up module deprecations (the proxy refuses the
# module's version list), and a binary built that way panics at start because
# build/version/version.txt is generated only by FerretDB's release tooling.
# So: download the exact module version through the Go module proxy, write
# that version into version.txt in a copy, and build it there.

if [ -z "${BASH_VERSION:-}" ]; then
  echo "ferretdb.sh: run or source it with bash" >&2
  return 1 2>/dev/null || exit 1
fi

FERRETDB_VERSION=v1.24.2

_ferretdb_fail() {
  echo "ferretdb.sh: $*" >&2
  return 1
}

_ferretdb_module_dir() {
  local json dir
  if ! json=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION"); then
    _ferretdb_fail "could not download FerretDB $FERRETDB_VERSION with 'go mod download' (network or GOPROXY?)"
    return 1
  fi
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
  # It is copied from, so it must be exactly FerretDB's module and nothing else.
  case $dir in
    /?*) ;;
    *) _ferretdb_fail "'go mod download' named no usable FerretDB directory (got '${dir:0:80}')"; return 1 ;;
  esac
  if [ ! -f "$dir/go.mod" ] || ! grep -qx 'module github.com/FerretDB/FerretDB' "$dir/go.mod" || [ ! -d "$dir/build/version" ]; then
    _ferretdb_fail "'go mod download' named $dir, which holds no FerretDB module"
    return 1
  fi
  echo "$dir"
}

_ferretdb_build() {
  local module_dir src status=1
  if ! command -v go >/dev/null 2>&1; then
    _ferretdb_fail "needs Go (https://go.dev/dl) to build FerretDB once; install it, or set MONGODB_URI to a running MongoDB instead"
    return 1
  fi
  echo "Building FerretDB $FERRETDB_VERSION once (cached in $FERRETDB_CACHE)..."
  module_dir=$(_ferretdb_module_dir) || return 1
  if ! src=$(mktemp -d) || [ ! -d "$src" ]; then
    _ferretdb_fail "could not create a temporary directory"
    return 1
  fi
  if ! cp -R "$module_dir/." "$src/" || ! chmod -R u+w "$src"; then
    _ferretdb_fail "could not copy FerretDB's source from $module_dir to $src"
  elif ! echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"; then
    _ferretdb_fail "could not write $src/build/version/version.txt"
  elif ! mkdir -p "$FERRETDB_CACHE"; then
    _ferretdb_fail "could not create the cache directory $FERRETDB_CACHE"
  elif ! (cd "$src" && go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb); then
    _ferretdb_fail "'go build' of FerretDB $FERRETDB_VERSION failed (see above)"
  elif ! mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"; then
    _ferretdb_fail "could not move the built FerretDB to $FERRETDB_BIN"
  else
    status=0
  fi
  rm -rf "$src" "$FERRETDB_BIN.tmp"
  return "$status"
}

_ferretdb_free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

_ferretdb_wait_for_port() {
  local port=$1 _
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$FERRETDB_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "FerretDB's log ($FERRETDB_DIR/ferretdb.log):" >&2
  cat "$FERRETDB_DIR/ferretdb.log" >&2
  _ferretdb_fail "FerretDB did not start listening on 127.0.0.1:$port (its log is above)"
}

# Stops FerretDB and forgets its URI; keeps $? so it can run first in a chained EXIT trap.
ferretdb_stop() {
  local status=$?
  if [ -n "${FERRETDB_PID:-}" ]; then
    kill "$FERRETDB_PID" 2>/dev/null || :
    wait "$FERRETDB_PID" 2>/dev/null || :
  fi
  if [ -n "${FERRETDB_DIR:-}" ]; then rm -rf "$FERRETDB_DIR"; fi
  if [ -n "${FERRETDB_PORT:-}" ] && [ "${MONGODB_URI:-}" = "mongodb://127.0.0.1:$FERRETDB_PORT/" ]; then unset MONGODB_URI; fi
  unset FERRETDB_PID FERRETDB_DIR FERRETDB_PORT
  return "$status"
}

# Runs ferretdb_stop before the EXIT trap the shell already has, instead of replacing it.
_ferretdb_chain_exit_trap() {
  local previous
  previous=$(trap -p EXIT)
  case $previous in
    '') trap ferretdb_stop EXIT ;;
    *ferretdb_stop*) ;;
    *)
      # `trap -p` prints `trap -- 'command' EXIT`, quoted for reuse. `&& :` hands the
      # shell's exit status on to that command without tripping a caller's `set -e`.
      eval "set -- ${previous#trap }"
      trap "ferretdb_stop && :; $2" EXIT
      ;;
  esac
}

_ferretdb_start() {
  local cache_home=${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}} port saved_trap
  FERRETDB_CACHE=${FERRETDB_CACHE:-${cache_home:+$cache_home/customer-cards}}
  if [ -z "$FERRETDB_CACHE" ]; then
    _ferretdb_fail "set FERRETDB_CACHE (or HOME) to a directory for the FerretDB build"
    return 1
  fi
  FERRETDB_BIN=$FERRETDB_CACHE/ferretdb-$FERRETDB_VERSION
  if [ ! -x "$FERRETDB_BIN" ]; then _ferretdb_build || return 1; fi
  if ! command -v node >/dev/null 2>&1; then
    _ferretdb_fail "needs node on PATH to pick a free port"
    return 1
  fi
  if [ -n "${FERRETDB_PID:-}" ]; then ferretdb_stop; fi
  port=$(_ferretdb_free_port)
  case $port in
    '' | *[!0-9]*) _ferretdb_fail "could not find a free port (got '$port')"; return 1 ;;
  esac
  if ! FERRETDB_DIR=$(mktemp -d) || [ ! -d "$FERRETDB_DIR" ]; then
    _ferretdb_fail "could not create a temporary directory"
    return 1
  fi
  FERRETDB_PORT=$port
  saved_trap=$(trap -p EXIT)
  "$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$FERRETDB_DIR/" --listen-addr="127.0.0.1:$port" \
    --state-dir="$FERRETDB_DIR" --debug-addr=- --telemetry=disable --log-level=WARN >"$FERRETDB_DIR/ferretdb.log" 2>&1 &
  FERRETDB_PID=$!
  _ferretdb_chain_exit_trap
  if ! _ferretdb_wait_for_port "$port"; then
    ferretdb_stop
    if [ -n "$saved_trap" ]; then eval "$saved_trap"; else trap - EXIT; fi
    return 1
  fi
  export FERRETDB_BIN FERRETDB_DIR FERRETDB_PORT FERRETDB_PID
  export MONGODB_URI="mongodb://127.0.0.1:$port/"
  echo "FerretDB $FERRETDB_VERSION (SQLite) on $MONGODB_URI"
}

_ferretdb_forget() {
  unset -f _ferretdb_fail _ferretdb_module_dir _ferretdb_build _ferretdb_free_port _ferretdb_wait_for_port \
    _ferretdb_chain_exit_trap _ferretdb_start _ferretdb_forget
}

if (return 0 2>/dev/null); then
  # Sourced: `if` also keeps a caller's `set -e` from leaving before the clean-up.
  if _ferretdb_start; then _ferretdb_forget; return 0; fi
  _ferretdb_forget
  return 1
fi

_ferretdb_start || exit 1
if [ "$#" -gt 0 ]; then
  "$@"
  exit
fi
echo "Ctrl-C stops it."
wait "$FERRETDB_PID"
