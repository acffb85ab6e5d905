#!/usr/bin/env bash
# Retention and backup figures on SQLite: a store of BENCH_EVENTS (1,000,000) events received 40 days ago, then
#   1. backup: the webhook host's `backup` verb on it (time, what it holds);
#   2. retention: the webhook host started with Retention:MaxAge=30 days, an archive folder and a 1 s interval; its
#      first run archives and deletes the whole backlog, and its log line gives the time (archive throughput);
#      while it runs, BENCH_PROBES callbacks are posted one at a time and their latency recorded (p50, p99, max),
#      then the same with the job done (the normal figure).
# BENCH_REST_RATIO (1) is passed as Retention:RestRatio. Uses the Debug build unless BENCH_CONFIGURATION=Release.
# Needs sqlite3 and curl.
#   bench/retention.sh
#
# BENCH_MODE=backup-stall measures instead the webhook writer's stall while a backup reads the same store: the host runs
# (retention off) and callbacks are posted one at a time, back to back, while each of these runs in turn:
#   idle            nothing (BENCH_IDLE_SECONDS, 5): the normal figure
#   vacuum-into     the `backup` verb (VACUUM INTO, integrity check, flush, rename)
#   backup-api      SQLite's online backup API copying the whole file in one step (Python's sqlite3, pages=-1)
# and prints for each the time it took and the latency of the callbacks that ran meanwhile (n, p50, p99, max).
# Needs python3 too.
#   BENCH_MODE=backup-stall BENCH_EVENTS=200000 bench/retention.sh
set -euo pipefail
cd "$(dirname "$0")/.."
events=${BENCH_EVENTS:-1000000}
probes=${BENCH_PROBES:-400}
config=${BENCH_CONFIGURATION:-Debug}
work=$(mktemp -d)
trap 'kill "${host:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet build src/WebhookApi -c "$config" -v q >/dev/null
dll=src/WebhookApi/bin/$config/net10.0/CleanChat.WebhookApi.dll
db=$work/cleanchat.db
mkdir -p "$work/empty" "$work/archive"
dotnet "$dll" restore-archive "$work/empty" "--ConnectionStrings:CleanChat=Data Source=$db" >/dev/null
old=$(( ($(date +%s) - 40*86400) * 1000 ))
echo "filling $events events received 40 days ago..."
sqlite3 "$db" <<SQL
PRAGMA synchronous = OFF;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $events)
INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, owner_account, operator_account, name,
    event_time, receive_time, client_ip, opt_platform, opt_platform_raw, payload_json, delivery_key)
SELECT '1400000000', 'OfficialAccount.CallbackAfterOfficialAccountDestroyed', '@TOA#_' || (i % 5000), '107867', NULL,
    'TestOfficialAccount', $old + i, $old + i, '127.0.0.1', 'RESTAPI', 'RESTAPI',
    '{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed","Official_Account":"@TOA#_' || (i % 5000) ||
    '","Owner_Account":"107867","Name":"TestOfficialAccount","EventTime":' || ($old + i) || '}',
    'bench-' || i
FROM n;
SQL
echo "store: $(du -h "$db" | cut -f1)"
port=${BENCH_PORT:-5180}

post() { # post NAME: one callback; prints its latency in seconds
  curl -s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' \
    "http://127.0.0.1:$port/webhook?SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterOfficialAccountDestroyed&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI" \
    -d "{\"CallbackCommand\":\"OfficialAccount.CallbackAfterOfficialAccountDestroyed\",\"Official_Account\":\"@TOA#_p$1\",\"Owner_Account\":\"1\",\"Name\":\"n\",\"EventTime\":$(date +%s%3N)}"
}

stats() { # stats LABEL: p50/p99/max of the latencies on standard input
  sort -n | awk -v label="$1" '{ v[NR] = $1 } END { printf "ingest %s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms\n", label, NR, v[int(NR*0.5)]*1000, v[int(NR*0.99)]*1000, v[NR]*1000 }'
}

if [ "${BENCH_MODE:-retention}" = backup-stall ]; then
  dotnet "$dll" "--ConnectionStrings:CleanChat=Data Source=$db" "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:$port" \
    --Webhook:SdkAppIds:0=1400000000 > "$work/host.log" 2>&1 &
  host=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
  for i in $(seq 1 50); do post "warm$i" >/dev/null; done
  during() { # during LABEL COMMAND...: posts callbacks back to back while COMMAND runs
    local label=$1 started
    shift
    touch "$work/probing"
    ( i=0; while [ -e "$work/probing" ]; do i=$((i + 1)); post "$label$i"; done ) > "$work/latency-$label" &
    local prober=$!
    started=$(date +%s%N)
    "$@" >/dev/null
    echo "$label: $(( ($(date +%s%N) - started) / 1000000 )) ms"
    rm "$work/probing"
    wait "$prober"
    stats "$label" < "$work/latency-$label"
  }
  echo "## writer stall during a backup (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  during idle sleep "${BENCH_IDLE_SECONDS:-5}"
  during vacuum-into dotnet "$dll" backup "$work/vacuum-into.db" "--ConnectionStrings:CleanChat=Data Source=$db"
  during backup-api python3 -c '
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(target, pages=-1)
target.close()
' "$db" "$work/backup-api.db"
  echo "copies: vacuum-into $(du -h "$work/vacuum-into.db" | cut -f1), backup-api $(du -h "$work/backup-api.db" | cut -f1)"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

echo "## backup"
/usr/bin/time -f "backup: %e s wall, %M KB max RSS" dotnet "$dll" backup "$work/backup.db" "--ConnectionStrings:CleanChat=Data Source=$db"
echo "backup file: $(du -h "$work/backup.db" | cut -f1)"

probe() { # probe LABEL: posts $probes callbacks one at a time, prints p50/p99/max of their latency
  local label=$1 i
  for i in $(seq 1 "$probes"); do post "$label$i"; done | stats "$label"
}

echo "## retention"
dotnet "$dll" "--ConnectionStrings:CleanChat=Data Source=$db" "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:$port" \
  --Webhook:SdkAppIds:0=1400000000 --Retention:MaxAge=30.00:00:00 "--Retention:ArchivePath=$work/archive" \
  --Retention:IntervalSeconds=1 "--Retention:RestRatio=${BENCH_REST_RATIO:-1}" > "$work/host.log" 2>&1 &
host=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
probe during-retention
until grep -q "Retention deleted" "$work/host.log"; do sleep 1; done
grep "Retention deleted" "$work/host.log" | head -1
probe after-retention
echo "archive: $(ls "$work/archive" | grep -c 'jsonl.gz$') files, $(du -sh "$work/archive" | cut -f1)"
echo "store after: $(du -h "$db" | cut -f1), free pages $(sqlite3 "$db" 'PRAGMA freelist_count')"
