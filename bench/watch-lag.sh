#!/usr/bin/env bash
# Watch delivery lag: p50/p99 from a webhook's OK to the event arriving on open WatchWebhookEvents streams, and
# the CPU time GrpcApi spends per delivered event. Starts WebhookApi and GrpcApi as separate Release processes on
# a fresh database, on free loopback ports.
# Options (all optional): --events 1000 --concurrency 4 --watchers 1 --rate 0 (events/s; 0: as fast as answered)
#   --warmup 100 --pause-ms 0 --max-p99-ms 250 --engine sqlite|postgres
# --engine postgres starts a throwaway PostgreSQL 15 cluster (needs root and /usr/lib/postgresql/15/bin).
# Exit code 1 when p99 is --max-p99-ms or more.
set -euo pipefail
cd "$(dirname "$0")/.."

engine=sqlite
args=()
while (($#)); do
  case "$1" in
    --engine) engine="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

# A throwaway PostgreSQL cluster in a temporary folder, removed on exit. Sets pg_connection.
pg_bin=/usr/lib/postgresql/15/bin
pg_dir=
start_postgres() {
  local port
  pg_dir=$(mktemp -d /tmp/cleanchat-pg.XXXXXX)
  chown postgres "$pg_dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  runuser -u postgres -- "$pg_bin/initdb" -A trust -U postgres -D "$pg_dir/data" >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
  runuser -u postgres -- "$pg_bin/createdb" -h "$pg_dir" -p "$port" -U postgres cleanchat
  # PostgreSQL allows 100 sessions by default and Npgsql pools up to 100 per host: 200 watchers reading their
  # backlogs at once would take them all, so each host gets a pool well under that, as a deployment would.
  pg_connection="Host=127.0.0.1;Port=$port;Database=cleanchat;Username=postgres;Maximum Pool Size=20"
}
stop_postgres() {
  [[ -n "$pg_dir" ]] || return 0
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$pg_dir"
}

case "$engine" in
  sqlite) ;;
  postgres)
    trap stop_postgres EXIT
    start_postgres
    args+=(--connection "$pg_connection") ;;
  *) echo "--engine is sqlite or postgres" >&2; exit 2 ;;
esac

dotnet build src/WebhookApi/WebhookApi.csproj -c Release -nologo -v quiet
dotnet build src/GrpcApi/GrpcApi.csproj -c Release -nologo -v quiet
dotnet build bench/WatchLag/WatchLag.csproj -c Release -nologo -v quiet

dotnet bench/WatchLag/bin/Release/net10.0/CleanChat.WatchLag.dll \
  --webhook-dll src/WebhookApi/bin/Release/net10.0/CleanChat.WebhookApi.dll \
  --grpc-dll src/GrpcApi/bin/Release/net10.0/CleanChat.GrpcApi.dll \
  --engine "$engine" --clock-ticks "$(getconf CLK_TCK)" \
  "${args[@]}"
