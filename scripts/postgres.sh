#!/usr/bin/env bash
# A throwaway PostgreSQL server for local runs and the bench: its own folder, a loopback port, trust authentication.
#
#   scripts/postgres.sh start <folder> [port]   # initdb, start, create database cleanchat; prints its connection string
#   scripts/postgres.sh stop <folder>           # stop the server and remove the folder
#
# The port defaults to the first free one from 5433. fsync stays on, as a server that keeps data runs it; POSTGRES_FSYNC=off
# trades that for speed. Needs the PostgreSQL server binaries (Debian, Ubuntu: apt-get install postgresql), looked for in
# /usr/lib/postgresql/*/bin, then on PATH; CLEANCHAT_PG_BIN names another folder. PostgreSQL refuses to run as root, so
# as root the server runs as the postgres user, which then owns the folder.
set -euo pipefail

usage() { echo "usage: $0 start <folder> [port] | stop <folder>" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
folder=$(realpath -m "$2")
port=${3:-}

bin=${CLEANCHAT_PG_BIN:-}
if [ -z "$bin" ]; then
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V) "$(dirname "$(command -v pg_ctl || echo /-/-)")"; do
    [ -x "$candidate/initdb" ] && [ -z "$bin" ] && bin=$candidate
  done
fi
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "PostgreSQL server binaries (initdb, pg_ctl) not found${bin:+ in $bin}." >&2
  echo "Install them (Debian, Ubuntu: apt-get install postgresql), or set CLEANCHAT_PG_BIN to their folder." >&2
  exit 1
fi

as_server() { # runs a command as the server's user
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $action in
  start)
    [ ! -e "$folder/data" ] || { echo "$folder/data exists: stop that server first ($0 stop $folder)" >&2; exit 1; }
    if [ -z "$port" ]; then
      port=5433
      while (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    fi
    mkdir -p "$folder"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$folder"
    as_server "$bin/initdb" -D "$folder/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$folder/initdb.log" 2>&1 \
      || { cat "$folder/initdb.log" >&2; exit 1; }
    as_server "$bin/pg_ctl" start -w -t 60 -D "$folder/data" -l "$folder/server.log" \
      -o "-p $port -k '$folder' -c listen_addresses=127.0.0.1 -c fsync=${POSTGRES_FSYNC:-on}" >/dev/null \
      || { tail -n 20 "$folder/server.log" >&2; exit 1; }
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres cleanchat
    echo "Host=127.0.0.1;Port=$port;Database=cleanchat;Username=postgres"
    ;;
  stop)
    if [ -e "$folder" ] && [ ! -f "$folder/data/PG_VERSION" ]; then
      echo "$folder does not hold a server from '$0 start'; leaving it alone" >&2
      exit 1
    fi
    if [ -f "$folder/data/postmaster.pid" ]; then
      as_server "$bin/pg_ctl" stop -w -t 60 -D "$folder/data" -m fast >/dev/null
    fi
    rm -rf "$folder"
    ;;
  *) usage ;;
esac
