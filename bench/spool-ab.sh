#!/usr/bin/env bash
# The live path on PostgreSQL with the spool on (the default) and off: the same Release build, one WebhookApi node on a
# throwaway server, alternating rounds of wrk (64 connections, 8 s warm-up, 12 s measured) with bench/ingest.lua, the
# order swapped every round.
#
#   bench/spool-ab.sh [rounds]     # default 2 rounds: on, off; then off, on
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh # free_port
rounds=${1:-2}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
dotnet build src/WebhookApi/WebhookApi.csproj -c Release -nologo -v quiet >/dev/null || exit 1
pg=$(mktemp -d)
conn=$(scripts/postgres.sh start "$pg") || exit 1
node=
trap '[ -n "$node" ] && kill $node 2>/dev/null; scripts/postgres.sh stop "$pg" >/dev/null' EXIT
dll=src/WebhookApi/bin/Release/net10.0/CleanChat.WebhookApi.dll
for round in $(seq 1 "$rounds"); do
  # On first in odd rounds, off first in even ones: the database grows run by run, so neither side always gets the emptier one.
  order="true false"
  ((round % 2 == 1)) || order="false true"
  for spool in $order; do
    port=$(free_port)
    ( cd "$(dirname "$dll")" && ASPNETCORE_ENVIRONMENT=Production Storage__Engine=Postgres ConnectionStrings__CleanChat="$conn" \
      Storage__Spool__Enabled=$spool Storage__Spool__Path="$pg/spool-$round.db" Webhook__SdkAppIds__0=1400000000 \
      Kestrel__Endpoints__Http__Url="http://127.0.0.1:$port" exec dotnet "$(basename "$dll")" >"$pg/node.log" 2>&1 ) &
    node=$!
    until curl -s "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
    wrk -t2 -c64 -d8s -s bench/ingest.lua "http://127.0.0.1:$port" -- "warm$round$spool" 1400000000 >/dev/null
    out=$(wrk -t2 -c64 -d12s --latency -s bench/ingest.lua "http://127.0.0.1:$port" -- "run$round$spool" 1400000000)
    spooled=$(grep -c 'Spooled, HTTP' "$pg/node.log")
    echo "spool=$spool round $round: $(grep 'Requests/sec' <<<"$out" | awk '{print $2}') req/s," \
      "p50 $(grep ' 50%' <<<"$out" | awk '{print $2}'), p99 $(grep ' 99%' <<<"$out" | awk '{print $2}'), answered from the spool: $spooled"
    kill $node; wait $node 2>/dev/null; node=
  done
done
