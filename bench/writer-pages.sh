#!/usr/bin/env bash
# What the SQLite writer writes per event: the WAL frames (dirty pages) its group commits append, and the checkpoint's
# writes into the database file, counted from the writer thread's system calls. Unlike requests/s these counts hardly
# move when the machine is busy, so they show which B-trees an event costs pages in.
#
#   bench/writer-pages.sh                                  # bench/ingest.lua (destroyed accounts), every index in place
#   bench/writer-pages.sh "DROP INDEX ix_webhook_events_owner"   # the same with SQL run on the fresh store first
#   BENCH_LOAD=bench/mix.lua bench/writer-pages.sh         # another wrk script
#
# One WebhookApi (Release) on a fresh SQLite file, 64 connections: a BENCH_WARMUP (15) s warm-up grows the store, then
# strace counts the writer thread's pwrite64 and pread64 for 4 s of load, by file, against the events committed
# meanwhile (the host's group-commit metrics). SQLite writes each WAL frame as a 24-byte header and a page.
# Needs strace, wrk, sqlite3, curl (installed with apt when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh # need, free_port
pre_sql=${1:-}
load=${BENCH_LOAD:-bench/ingest.lua}
warmup=${BENCH_WARMUP:-15}

need strace strace
need wrk wrk
need sqlite3 sqlite3
need curl curl

dotnet build src/WebhookApi/WebhookApi.csproj -c Release -nologo -v quiet >&2
dll=src/WebhookApi/bin/Release/net10.0/CleanChat.WebhookApi.dll
work=$(mktemp -d)
port=$(free_port)
app=1400000000
token=bench-token-$RANDOM
now=$(date +%s)
sign=$(printf '%s%s' "$token" "$now" | sha256sum | cut -d' ' -f1)
(cd "$(dirname "$dll")" && exec env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__CleanChat=Data Source=$work/cleanchat.db" \
  "Webhook__SdkAppIds__0=$app" "Webhook__Token=$token" "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$port" \
  dotnet "$(basename "$dll")") >"$work/host.log" 2>&1 &
host=$!
trap 'kill $host 2>/dev/null; wait $host 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
  kill -0 $host 2>/dev/null || { cat "$work/host.log" >&2; exit 1; }
  sleep 0.2
done
[ -z "$pre_sql" ] || sqlite3 -cmd '.timeout 5000' "$work/cleanchat.db" "$pre_sql"

url=http://127.0.0.1:$port/webhook
wrk -t2 -c64 -d"${warmup}s" -s "$load" "$url" -- warm "$app" "$now" "$sign" >/dev/null
writer=$(grep -l '^Event log write' /proc/$host/task/*/comm | head -1 | cut -d/ -f5) # the thread's name, cut to 15 characters
committed() { curl -s "http://127.0.0.1:$port/metrics" | awk '/^cleanchat_store_batch_size_sum/ { e += $NF } /^cleanchat_store_batch_size_count/ { c += $NF } END { print e + 0, c + 0 }'; }
wrk -t2 -c64 -d10s -s "$load" "$url" -- run "$app" "$now" "$sign" >/dev/null &
load_pid=$!
sleep 2
read -r events0 commits0 < <(committed)
timeout -s INT 4 strace -q -y -e trace=pwrite64,pread64 -p "$writer" -o "$work/calls.txt" || true
read -r events1 commits1 < <(committed)
wait $load_pid
events=$((events1 - events0))
commits=$((commits1 - commits0))
rows=$(sqlite3 -cmd '.timeout 5000' "$work/cleanchat.db" 'SELECT COUNT(*) FROM webhook_events')
echo "load $load${pre_sql:+, after: $pre_sql}; store $rows events; $events events in $commits commits ($(awk -v e=$events -v c=$commits 'BEGIN { printf "%.1f", e / c }') per commit)"
# strace -y names each file descriptor's path: "pwrite64(12</tmp/x/cleanchat.db-wal>, ..., 4096, 8192) = 4096"
awk -v events=$events '
  { call = substr($0, 1, index($0, "(") - 1); file = $0; sub(/^[^<]*</, "", file); sub(/>.*$/, "", file); sub(/^.*\//, "", file)
    n[call " " file]++; if (call == "pwrite64" && file ~ /-wal$/ && $NF == 24) frames++ }
  END {
    printf "WAL frames (pages written by commits): %.2f per event\n", frames / events
    for (k in n) printf "  %s: %.2f per event\n", k, n[k] / events
  }' "$work/calls.txt" | sort
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
