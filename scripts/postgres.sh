#!/usr/bin/env bash
# Install (if needed), start and stop a throwaway PostgreSQL server on loopback for the tests.
#   scripts/postgres.sh run CMD...   start a server, run CMD with FLYLOOP_TEST_DATABASE_URL set, stop it
# The server lives in a temporary folder and is removed afterwards; nothing is assumed installed.
set -euo pipefail

# A free loopback port unless one is given, so two runs on one machine never collide.
PORT="${FLYLOOP_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

install_server() {
  if find_bin >/dev/null; then return 0; fi
  echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
  if [ "$(id -u)" -ne 0 ]; then echo "postgres.sh: need root to apt-get install postgresql" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  # Debian starts a cluster of its own on 5432; we use our own folder and port, so stop it.
  (service postgresql stop || true) >/dev/null 2>&1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

run() {
  install_server
  local status=0
  # Globals, not locals: the EXIT trap that stops the server runs after this function returns.
  PG_BIN="$(find_bin)"
  bin="$PG_BIN"
  data="$(mktemp -d /tmp/flyloop-pg.XXXXXX)"
  log="$data.log"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$data"; touch "$log"; chown postgres "$log"; fi
  as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  trap 'as_owner "$PG_BIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$data" "$log"' EXIT
  "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres flyloop_test
  export FLYLOOP_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/flyloop_test"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
  "$@" || status=$?
  return $status
}

case "${1:-}" in
  run) shift; run "$@" ;;
  install) install_server ;;
  *) echo "usage: scripts/postgres.sh run CMD... | install" >&2; exit 2 ;;
esac
