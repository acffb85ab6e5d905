#!/usr/bin/env bash
# The spool's outage benchmark (issue 20): three webhook nodes on a throwaway PostgreSQL server under a steady open-loop
# load; PostgreSQL is stopped hard in the middle and started again; every callback must be answered OK within 2 s and
# stored exactly once once the nodes' spools have drained.
#
#   bench/outage.sh                          # 300 callbacks/s, a 30 s outage after a 20 s warm-up
#   bench/outage.sh --rate 300 --outage 10   # a short run
#   bench/outage.sh --rate 3400 --outage 30  # a backlog of ~100,000 spooled callbacks: does it drain in ≤ 60 s?
#
# Options, passed on to bench/Outage: --rate (requests/s over all nodes, 300), --outage (s, 30), --warmup (s, 20),
# --tail (s of load after the spools are empty, 5), --max-drain (s to wait for the drain, 300), --drain-target (s, 60).
# Builds Release, starts PostgreSQL with scripts/postgres.sh and the nodes (ASPNETCORE_ENVIRONMENT=Production, webhook
# authentication on, a spool file each), then runs bench/Outage, which sends the load, stops and starts the server,
# samples the spools and checks the rows; it prints the figures beside the targets and exits 1 when one is missed.
# Everything it started, and its temporary folders, go at the end, also on Ctrl-C or a failure. The nodes' logs are
# kept with BENCH_KEEP_LOGS=folder.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh # free_port

nodes=3
app_id=1400000000
token=outage-token-$RANDOM$RANDOM

command -v psql >/dev/null || { echo "psql is needed (Debian, Ubuntu: apt-get install postgresql-client)" >&2; exit 1; }

echo "building Release" >&2
dotnet build src/WebhookApi/WebhookApi.csproj -c Release -nologo -v quiet >&2
dotnet build bench/Outage/Outage.csproj -c Release -nologo -v quiet >&2
webhook_dll=src/WebhookApi/bin/Release/net10.0/CleanChat.WebhookApi.dll
outage_dll=bench/Outage/bin/Release/net10.0/CleanChat.Outage.dll

work=$(mktemp -d)
pg_folder=
node_pids=()
cleanup() {
  local pid
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_folder" ]; then
    # Stops the server if it runs (it may be down: the run stops it) and removes its folder.
    scripts/postgres.sh stop "$pg_folder" >/dev/null 2>&1 || rm -rf "$pg_folder"
  fi
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
    mkdir -p "$BENCH_KEEP_LOGS" && cp "$work"/node-*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A folder of its own, not inside $work: as root the server runs as the postgres user, who cannot enter $work.
pg_folder=$(mktemp -d)
echo "starting PostgreSQL in $pg_folder" >&2
connection=$(scripts/postgres.sh start "$pg_folder")
pg_port=$(sed -n 's/.*;Port=\([0-9]*\);.*/\1/p' <<<"$connection")
# The pg_ctl of the server running: postmaster.opts starts with its postgres binary's path.
pg_ctl=$(dirname "$(cut -d' ' -f1 "$pg_folder/data/postmaster.opts")")/pg_ctl

outage_args=()
for ((i = 1; i <= nodes; i++)); do
  port=$(free_port)
  # From its output folder, as deployed: the content root where appsettings.json is found. Each node its own spool.
  (cd "$(dirname "$webhook_dll")" && exec env ASPNETCORE_ENVIRONMENT=Production Storage__Engine=Postgres \
    "ConnectionStrings__CleanChat=$connection" "Webhook__SdkAppIds__0=$app_id" "Webhook__Token=$token" \
    "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$port" "Storage__Spool__Path=$work/spool-node-$i.db" \
    dotnet "$(basename "$webhook_dll")") >"$work/node-$i.log" 2>&1 &
  node_pids+=($!)
  outage_args+=(--webhook "http://127.0.0.1:$port" --pid "$!" --log "$work/node-$i.log")
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
dotnet "$outage_dll" "${outage_args[@]}" --token "$token" --app-id "$app_id" \
  --pg-ctl "$pg_ctl" --pg-data "$pg_folder/data" --database "host=127.0.0.1 port=$pg_port user=postgres dbname=cleanchat" \
  --clock-ticks "$(getconf CLK_TCK)" "$@" || status=$?
echo "$nodes nodes, PostgreSQL $(psql -X -h 127.0.0.1 -p "$pg_port" -U postgres -d cleanchat -tAc 'SHOW server_version' | cut -d' ' -f1)" \
  "(fsync $(psql -X -h 127.0.0.1 -p "$pg_port" -U postgres -d cleanchat -tAc 'SHOW fsync')) and the generator on one machine:" \
  "$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(uname -sr), .NET $(dotnet --version);" \
  "load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after."
exit "$status"
