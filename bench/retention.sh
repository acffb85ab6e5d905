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

echo "## backup"
/usr/bin/time -f "backup: %e s wall, %M KB max RSS" dotnet "$dll" backup "$work/backup.db" "--ConnectionStrings:CleanChat=Data Source=$db"
echo "backup file: $(du -h "$work/backup.db" | cut -f1)"

port=${BENCH_PORT:-5180}
probe() { # probe LABEL: posts $probes callbacks one at a time, prints p50/p99/max of their latency
  local label=$1 i t
  for i in $(seq 1 "$probes"); do
    curl -s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' \
      "http://127.0.0.1:$port/webhook?SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterOfficialAccountDestroyed&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI" \
      -d "{\"CallbackCommand\":\"OfficialAccount.CallbackAfterOfficialAccountDestroyed\",\"Official_Account\":\"@TOA#_p$label$i\",\"Owner_Account\":\"1\",\"Name\":\"n\",\"EventTime\":$(date +%s%3N)}"
  done | sort -n | awk -v label="$label" '{ v[NR] = $1 } END { printf "ingest %s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms\n", label, NR, v[int(NR*0.5)]*1000, v[int(NR*0.99)]*1000, v[NR]*1000 }'
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
