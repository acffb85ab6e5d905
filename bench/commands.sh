#!/usr/bin/env bash
# What each command of the traffic mix costs on its own: WebhookApi (Release, SQLite, synchronous=Full, authentication
# on) on a fresh database per command, loaded by wrk with bench/mix.lua and BENCH_MIX set to that one command, and for
# comparison the destroyed load (bench/ingest.lua, "destroyed") and the whole mix ("mix"). Prints one Markdown row per command: requests/s, p50 and p99,
# host CPU per request split into the writer thread and the request side, and the group commits.
#
#   bench/commands.sh                                    # the commands below, 10 s each after a 10 s warm-up
#   BENCH_DURATION=5 BENCH_WARMUP=5 bench/commands.sh State.StateChange C2C.CallbackAfterSendMsg
#
# Settings: BENCH_DURATION (10), BENCH_WARMUP (10), BENCH_CONNECTIONS (64), BENCH_THREADS (2). It is a probe to find
# the slow commands, not a benchmark of record: read the CPU columns, which a busy machine disturbs less than
# requests/s, and compare commands within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh # free_port

duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-10}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
app_id=1400000000
token=bench-token-$RANDOM$RANDOM
commands=("$@")
if [ ${#commands[@]} -eq 0 ]; then
  commands=(destroyed mix C2C.CallbackAfterSendMsg Group.CallbackAfterSendMsg State.StateChange
    OfficialAccount.CallbackBeforeSendMsg OfficialAccount.CallbackAfterSendMsg OfficialAccount.CallbackAfterAddSubscriber)
fi

dotnet build src/WebhookApi/WebhookApi.csproj -c Release -nologo -v quiet >&2
webhook_dll=src/WebhookApi/bin/Release/net10.0/CleanChat.WebhookApi.dll
work=$(mktemp -d)
host_pid=
cleanup() {
  [ -z "$host_pid" ] || kill "$host_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

hz=$(getconf CLK_TCK)
host_cpu() { awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$host_pid/stat"; }
writer_cpu() {
  for task in /proc/"$host_pid"/task/*; do
    case $(cat "$task/comm" 2>/dev/null) in "Event log write"*) sed 's/^.*) //' "$task/stat" ;; esac
  done | awk -v hz="$hz" '{ t += $12 + $13 } END { printf "%.2f", t / hz }'
}
commits() {
  curl -s "http://127.0.0.1:$port/metrics" | awk '
    /^cleanchat_store_commit_duration_seconds_count\{.*outcome="committed"/ { n += $NF }
    /^cleanchat_store_commit_duration_seconds_sum\{.*outcome="committed"/ { s += $NF }
    END { printf "%d %.6f\n", n, s }'
}
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2" | head -1; }

echo "| command | requests/s | p50 ms | p99 ms | host CPU µs/request | writer thread | request side | commits/s | events per commit | ms per commit | OK / rows |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for command in "${commands[@]}"; do
  port=$(free_port)
  rm -f "$work"/cleanchat.db*
  sync
  (cd "$(dirname "$webhook_dll")" && exec env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__CleanChat=Data Source=$work/cleanchat.db" \
    "Webhook__SdkAppIds__0=$app_id" "Webhook__Token=$token" "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$port" \
    dotnet "$(basename "$webhook_dll")") >"$work/host.log" 2>&1 &
  host_pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do
    kill -0 "$host_pid" 2>/dev/null || { cat "$work/host.log" >&2; exit 1; }
    sleep 0.2
  done
  case $command in
    destroyed) script=bench/ingest.lua mix= ;;
    mix) script=bench/mix.lua mix=${BENCH_MIX:-} ;;
    *) script=bench/mix.lua mix="$command=1" ;;
  esac
  now=$(date +%s)
  sign=$(printf '%s%s' "$token" "$now" | sha256sum | cut -d' ' -f1)
  BENCH_MIX=$mix wrk -t "$threads" -c "$connections" -d "${warmup}s" -s "$script" "http://127.0.0.1:$port/webhook" -- "warm" "$app_id" "$now" "$sign" >"$work/warm.txt"
  cpu0=$(host_cpu) writer0=$(writer_cpu)
  read -r n0 s0 < <(commits)
  now=$(date +%s)
  sign=$(printf '%s%s' "$token" "$now" | sha256sum | cut -d' ' -f1)
  result=$(BENCH_MIX=$mix wrk -t "$threads" -c "$connections" -d "${duration}s" --latency -s "$script" "http://127.0.0.1:$port/webhook" -- "run" "$app_id" "$now" "$sign" | grep '^RESULT')
  cpu1=$(host_cpu) writer1=$(writer_cpu)
  read -r n1 s1 < <(commits)
  kill -TERM "$host_pid"
  wait "$host_pid" || true
  host_pid=
  rows=$(sqlite3 -cmd '.timeout 10000' "$work/cleanchat.db" 'SELECT COUNT(*) FROM webhook_events')
  oks=$(($(field ok "$result") + $(grep '^RESULT' "$work/warm.txt" | sed -n 's/.*\bok=\([0-9]*\).*/\1/p')))
  awk -v name="$command" -v r="$(field requests "$result")" -v us="$(field duration_us "$result")" -v p50="$(field p50_us "$result")" \
    -v p99="$(field p99_us "$result")" -v c="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" \
    -v w="$(awk -v a="$writer0" -v b="$writer1" 'BEGIN { print b - a }')" -v n="$((n1 - n0))" -v s="$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')" \
    -v e="$(($(field requests "$result")))" -v oks="$oks" -v rows="$rows" 'BEGIN {
    sec = us / 1e6
    printf "| %s | %.0f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %.1f | %.2f | %d / %d |\n", name, r / sec, p50 / 1000, p99 / 1000,
      c * 1e6 / r, w * 1e6 / r, (c - w) * 1e6 / r, n / sec, (n ? e / n : 0), (n ? s * 1000 / n : 0), oks, rows }'
done
echo
echo "${duration} s after a ${warmup} s warm-up each, $connections connections, wrk with $threads threads; SQLite, synchronous=Full;" \
  "load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
