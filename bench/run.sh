#!/usr/bin/env bash
# The throughput benchmark: CleanChat against a baseline app that parses the same webhooks and stores nothing, and
# against a durable reference: that app with a hand-written group commit of CleanChat's SQL on CleanChat's schema.
#
#   bench/run.sh                      # 15 s per load after a 15 s warm-up, 64 connections, on SQLite
#   bench/run.sh --engine postgres    # the same on a throwaway PostgreSQL server (scripts/postgres.sh)
#   bench/run.sh --engine postgres --nodes 3   # and ingest again on three webhook nodes, plus watch lag on a gRPC node
#   BENCH_DURATION=5 BENCH_WARMUP=5 bench/run.sh   # shorter, while iterating
#
# Two ingest loads (bench/README.md says what is in them and why):
#   - destroyed (bench/ingest.lua): OfficialAccount.CallbackAfterOfficialAccountDestroyed only, a new account each time,
#     owners drawn from a large population with a Zipf-like skew; the load the durable reference also knows;
#   - the traffic mix (bench/mix.lua), the headline: message and state callbacks recorded raw, and the official-account
#     family typed and folded into state, in documented shares.
# Builds Release, then loads, one at a time and each on its own fresh process:
#   1. the baseline's POST /webhook under both loads, and its no-op gRPC method,
#   2. the durable reference (the baseline with Reference:Engine set) on a fresh database of the same engine, under the
#      destroyed load, then checks rows against OK answers,
#   3. WebhookApi on a fresh database under the destroyed load, then on another under the mix; rows against OK answers,
#   4. GrpcApi on the mix's database: GetWebhookEvent and a ListWebhookEvents page of 100 (h2load).
# With --nodes N (PostgreSQL only), then:
#   5. N WebhookApi nodes on another fresh database, the destroyed load split over them (one wrk per node, in parallel,
#      the connections and threads divided between them; results summed, percentiles the worst node's), rows checked;
#   6. watch lag on a GrpcApi node while the N nodes write (bench/ClusterWatchLag: webhooks round-robin over the nodes).
# Each durable ingest (the reference's and CleanChat's) also reads the group-commit metrics (commits/s, events per
# commit, time per commit), and every ingest the CPU wrk itself used.
# --engine sqlite (the default) uses new files in a temporary folder; --engine postgres starts its own server with
# `scripts/postgres.sh start` (fsync on) and stops it on exit. Prints a Markdown table that names the engine and keeps it
# in bench/results/. Settings (environment variables):
#   BENCH_DURATION (s, 15), BENCH_WARMUP (s, 15), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
#   BENCH_SYNCHRONOUS (Full|Normal, Full), BENCH_LOG_LEVEL (unset: the hosts' own appsettings);
#   the loads' populations and shares: BENCH_OWNERS (100000; 1 gives the old one-owner best case), BENCH_MIX,
#   BENCH_USERS, BENCH_ACCOUNTS, BENCH_GROUPS (see bench/README.md);
#   with --nodes, BENCH_LAG_EVENTS (1000) and BENCH_LAG_CONCURRENCY (4) for the watch-lag step.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh # need, free_port

usage() { echo "usage: $0 [--engine sqlite|postgres] [--nodes N]" >&2; exit 2; }
engine=sqlite
nodes=1
while [ $# -gt 0 ]; do
  case $1 in
    --engine) [ $# -ge 2 ] || usage; engine=$2; shift 2 ;;
    --engine=*) engine=${1#--engine=}; shift ;;
    --nodes) [ $# -ge 2 ] || usage; nodes=$2; shift 2 ;;
    --nodes=*) nodes=${1#--nodes=}; shift ;;
    *) usage ;;
  esac
done
case $engine in
  sqlite) engine_name=SQLite ;;
  postgres) engine_name=PostgreSQL ;;
  *) usage ;;
esac
[[ $nodes =~ ^[1-9][0-9]*$ ]] || usage
if ((nodes > 1)) && [ "$engine" != postgres ]; then
  echo "--nodes needs --engine postgres: several webhook nodes share one database only on PostgreSQL" >&2
  exit 2
fi

duration=${BENCH_DURATION:-15}
# 15 s of warm-up: after 5 s the JIT was still promoting the hosts' code to optimised tiers, and its thread took
# 10-15 µs of CPU per webhook inside the measured window; after 15 s, under 2 µs. Every load gets the same warm-up.
warmup=${BENCH_WARMUP:-15}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
synchronous=${BENCH_SYNCHRONOUS:-Full}
log_level=${BENCH_LOG_LEVEL:-}
app_id=1400000000
# CleanChat runs with webhook authentication on, as a deployment should: each run signs its requests.
token=bench-token-$RANDOM$RANDOM
sign_args() { # RequestTime and Sign for "now": lowercase hex SHA-256 of token + RequestTime
  local now
  now=$(date +%s)
  echo "$now $(printf '%s%s' "$token" "$now" | sha256sum | cut -d' ' -f1)"
}

need wrk wrk
need h2load nghttp2-client
case $engine in
  sqlite) need sqlite3 sqlite3 ;;
  # The server binaries are not installed here: the postgresql package would also start a cluster of its own.
  # scripts/postgres.sh looks for them and says how to install them when they are missing.
  postgres) need psql postgresql-client ;;
esac
need curl curl

echo "building Release" >&2
projects=(src/WebhookApi/WebhookApi.csproj src/GrpcApi/GrpcApi.csproj bench/Baseline/Baseline.csproj)
((nodes == 1)) || projects+=(bench/ClusterWatchLag/ClusterWatchLag.csproj)
for project in "${projects[@]}"; do
  dotnet build "$project" -c Release -nologo -v quiet >&2
done
webhook_dll=src/WebhookApi/bin/Release/net10.0/CleanChat.WebhookApi.dll
grpc_dll=src/GrpcApi/bin/Release/net10.0/CleanChat.GrpcApi.dll
baseline_dll=bench/Baseline/bin/Release/net10.0/CleanChat.Baseline.dll
lag_dll=bench/ClusterWatchLag/bin/Release/net10.0/CleanChat.ClusterWatchLag.dll

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
pids=()
pg_folder=
stop_storage() { # after the hosts have stopped
  case $engine in
    sqlite) ;; # the file goes with $work
    postgres)
      if [ -f "$pg_folder/data/PG_VERSION" ]; then
        scripts/postgres.sh stop "$pg_folder" || echo "PostgreSQL in $pg_folder did not stop" >&2
      elif [ -n "$pg_folder" ]; then
        rm -rf "$pg_folder" # mktemp's folder, left empty by a start that failed before initdb
      fi
      ;;
  esac
}
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_storage
  rm -rf "$work"
}
trap cleanup EXIT

# Storage: a fresh, empty database for this run; $storage_note describes it for the table.
case $engine in
  sqlite)
    database="$work/cleanchat.db"
    storage_note="SQLite, a file on $(df -T "$work" | awk 'NR == 2 { print $2 }')"
    ;;
  postgres)
    # A folder of its own, not inside $work: as root the server runs as the postgres user, who cannot enter $work.
    pg_folder=$(mktemp -d)
    echo "starting PostgreSQL in $pg_folder" >&2
    connection=$(scripts/postgres.sh start "$pg_folder")
    pg_port=$(sed -n 's/.*;Port=\([0-9]*\);.*/\1/p' <<<"$connection")
    pg_sql() { psql -X -h 127.0.0.1 -p "$pg_port" -U postgres -d "${2:-cleanchat}" -tAc "$1"; } # SQL [DATABASE]
    storage_note="PostgreSQL $(pg_sql 'SHOW server_version' | cut -d' ' -f1), its own server on this machine started by scripts/postgres.sh"
    storage_note+=" (fsync=$(pg_sql 'SHOW fsync'), data on $(df -T "$pg_folder" | awk 'NR == 2 { print $2 }'));"
    storage_note+=" host CPU counts the host process only, not the server's"
    ;;
esac

# The hosts' storage settings: the same database for the traffic mix's WebhookApi and for GrpcApi. The destroyed-account
# load and the durable reference get a database each on the same engine ($destroyed_database, $reference_database: files
# next to CleanChat's, or more databases on its server).
case $engine in
  sqlite)
    storage_settings=("ConnectionStrings__CleanChat=Data Source=$database")
    destroyed_database="$work/destroyed.db"
    destroyed_storage_settings=("ConnectionStrings__CleanChat=Data Source=$destroyed_database")
    reference_database="$work/reference.db"
    reference_settings=(Reference__Engine=Sqlite "Reference__ConnectionString=Data Source=$reference_database")
    ;;
  postgres)
    storage_settings=(Storage__Engine=Postgres "ConnectionStrings__CleanChat=$connection")
    destroyed_database=cleanchat_destroyed
    destroyed_storage_settings=(Storage__Engine=Postgres "ConnectionStrings__CleanChat=${connection/Database=cleanchat;/Database=$destroyed_database;}")
    reference_database=cleanchat_reference
    reference_settings=(Reference__Engine=Postgres "Reference__ConnectionString=${connection/Database=cleanchat;/Database=$reference_database;}")
    ;;
esac

# count_rows [DATABASE]: the rows in webhook_events, in CleanChat's database or another of the same engine (SQLite:
# a file; PostgreSQL: a database on the same server).
count_rows() {
  case $engine in
    sqlite) sqlite3 -cmd '.timeout 10000' "${1:-$database}" 'SELECT COUNT(*) FROM webhook_events' ;;
    postgres) pg_sql 'SELECT COUNT(*) FROM webhook_events' "${1:-cleanchat}" ;;
  esac
}

# mix_as_stored: what the traffic mix left in CleanChat's database, one line: each command's share of the rows and its
# mean body size, and the body sizes over all rows (the shares are exact only over whole schedules of 10,000 requests).
mix_as_stored() {
  local sql
  case $engine in
    sqlite) sql="SELECT callback_command, COUNT(*), CAST(AVG(length(CAST(payload_json AS BLOB))) AS INTEGER) FROM webhook_events GROUP BY 1 ORDER BY 2 DESC, 1" ;;
    postgres) sql="SELECT callback_command, COUNT(*), AVG(octet_length(payload_json))::bigint FROM webhook_events GROUP BY 1 ORDER BY 2 DESC, 1" ;;
  esac
  case $engine in
    sqlite) sqlite3 -separator ' ' -cmd '.timeout 10000' "$database" "$sql" ;;
    postgres) pg_sql "$sql" | tr '|' ' ' ;;
  esac | awk '{ command[NR] = $1; n[NR] = $2; bytes[NR] = $3; total += $2; sum += $2 * $3 }
    END { printf "%d rows, bodies %.0f bytes on average:", total, sum / total
      for (i = 1; i <= NR; i++) printf "%s %s %.2f %% (%d B)", (i > 1 ? ";" : ""), command[i], n[i] * 100 / total, bytes[i]
      printf "\n" }'
}

# rows_check RESULT WARMUP ROWS: every OK must be a row. wrk abandons the requests in flight when its time is up: the
# host may still have committed those, so rows may exceed OKs by at most the number sent but never answered.
rows_check() {
  local rows=$3 oks sent answered cut_off
  oks=$(($(field ok "$1") + $(field ok "$2")))
  sent=$(($(field sent "$1") + $(field sent "$2")))
  answered=$(($(field requests "$1") + $(field requests "$2")))
  cut_off=$((sent - answered))
  if ((rows >= oks && rows <= oks + cut_off)); then
    echo "rows $rows = OK $oks + $((rows - oks)) of $cut_off cut off in flight ✓"
  else
    echo "rows $rows, OK $oks, cut off $cut_off ✗"
  fi
}

# start_host NAME DLL [VAR=VALUE ...]: runs the host with those settings; sets $host_pid once its ports accept and adds it
# to $host_pids, the hosts under load (several webhook nodes at once with --nodes).
start_host() {
  local name=$1 dll=$2
  shift 2
  # Flush what earlier steps left dirty in the page cache (the build, a previous load's database): its writeback
  # would otherwise compete with this host's fsyncs. Runs back to back moved by a quarter without it.
  sync
  # From its output folder, as deployed: that is the content root where appsettings.json is found.
  (cd "$(dirname "$dll")" && exec env ASPNETCORE_ENVIRONMENT=Production ${log_level:+Logging__LogLevel__Default=$log_level} "$@" \
    dotnet "$(basename "$dll")") >"$work/$name.log" 2>&1 &
  host_pid=$!
  pids+=("$host_pid")
  host_pids+=("$host_pid")
  local port deadline=$((SECONDS + 60))
  for port in $(printf '%s\n' "$@" | sed -n 's/^Kestrel__Endpoints__.*__Url=.*:\([0-9]*\)$/\1/p'); do
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
      if ! kill -0 "$host_pid" 2>/dev/null || ((SECONDS > deadline)); then
        echo "$name did not start; its log:" >&2
        cat "$work/$name.log" >&2
        exit 1
      fi
      sleep 0.2
    done
  done
}

host_pids=()

# The hosts' CPU time so far (user + system, seconds, summed over $host_pids): per request, a figure a busy machine
# disturbs less than requests/s.
cpu_seconds() {
  local pid
  for pid in "${host_pids[@]}"; do cat "/proc/$pid/stat"; done | awk -v hz="$(getconf CLK_TCK)" '{ t += $14 + $15 } END { printf "%.2f", t / hz }'
}

# The CPU time so far (seconds) of the hosts' writer threads: CleanChat's "Event log writer" and the durable
# reference's "Reference writer" (Linux keeps the first 15 characters of a thread's name). The rest of a host's
# CPU is its request side: Kestrel, parsing, authentication, handlers, logging and metrics.
writer_cpu_seconds() {
  local pid
  for pid in "${host_pids[@]}"; do
    for task in /proc/"$pid"/task/*; do
      case $(cat "$task/comm" 2>/dev/null) in
        "Event log write"* | "Reference write"*) cat "$task/stat" 2>/dev/null ;;
      esac
    done
  done | sed 's/^.*) //' | awk -v hz="$(getconf CLK_TCK)" '{ t += $12 + $13 } END { printf "%.2f", t / hz }'
}

# The largest peak RSS (VmHWM) among the hosts under load, in MB.
peak_rss_mb() {
  local pid
  for pid in "${host_pids[@]}"; do awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status"; done | sort -n | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'
}

# stop_host: stops the hosts under load gracefully (each commits what it has queued) and sets $peak_rss (peak_rss_mb).
stop_host() {
  local pid
  peak_rss=$(peak_rss_mb)
  kill -TERM "${host_pids[@]}"
  for pid in "${host_pids[@]}"; do wait "$pid" || true; done
  host_pids=()
}

# commit_metrics URL...: the group-commit counters summed over the webhook nodes' /metrics, as
# "commits=N commit_s=S batch_events=E" (committed batches, seconds spent in them, events they carried).
commit_metrics() {
  local url
  for url in "$@"; do curl -s "${url%/webhook}/metrics"; done | awk '
    /^cleanchat_store_commit_duration_seconds_count\{.*outcome="committed"/ { n += $NF }
    /^cleanchat_store_commit_duration_seconds_sum\{.*outcome="committed"/ { s += $NF }
    /^cleanchat_store_batch_size_sum/ { e += $NF }
    END { printf "commits=%d commit_s=%.6f batch_events=%d\n", n, s, e }'
}

# machine_busy_seconds: the CPU time all cores have spent busy so far (user, nice, system, irq, softirq, steal), and the
# wall-clock time, both in seconds, as "BUSY WALL".
machine_busy_seconds() {
  awk -v hz="$(getconf CLK_TCK)" -v now="$EPOCHREALTIME" '/^cpu / { printf "%.2f %.3f\n", ($2 + $3 + $4 + $7 + $8 + $9) / hz, now; exit }' /proc/stat
}

# wrk_spread PHASE TAG SECONDS SCRIPT URL... [-- WRK OPTIONS]: one wrk per URL with the Lua SCRIPT, all at once, the
# connections and threads divided between them (all of them to a single URL); each writes $work/wrk-PHASE-TAG-I.txt,
# and its own CPU time (user + system, seconds) to $work/wrk-PHASE-TAG-I.cpu. Each has its own run tag and lane
# (BENCH_LANE), so the accounts and users they post never collide.
wrk_spread() {
  local phase=$1 tag=$2 seconds=$3 script=$4
  shift 4
  local urls=() options=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do urls+=("$1"); shift; done
  [ $# -eq 0 ] || { shift; options=("$@"); }
  local n=${#urls[@]} i wrk_pids=()
  for i in "${!urls[@]}"; do
    local c=$((connections / n + (i < connections % n ? 1 : 0))) t=$((threads / n + (i < threads % n ? 1 : 0)))
    ((t >= 1)) || t=1
    (
      # shellcheck disable=SC2046 # RequestTime and Sign are two words on purpose
      BENCH_LANE=$i wrk -t "$t" -c "$c" -d "${seconds}s" "${options[@]}" -s "$script" "${urls[$i]}" -- "$phase$tag$i" "$app_id" $(sign_args) \
        >"$work/wrk-$phase-$tag-$i.txt"
      # wrk has been reaped, so this subshell's children's CPU time is wrk's (and sign_args' few milliseconds).
      awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($16 + $17) / hz }' "/proc/$BASHPID/stat" >"$work/wrk-$phase-$tag-$i.cpu"
    ) &
    wrk_pids+=($!)
  done
  for i in "${wrk_pids[@]}"; do wait "$i"; done
}

# sum_results FILE...: one RESULT line from several wrk runs at once: counts summed, the longest duration, and each
# latency percentile the worst of them (wrk keeps no samples to merge, and the worst node is what a caller may get).
sum_results() {
  grep -h '^RESULT' "$@" | awk '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); k = kv[1]; v = kv[2] + 0
        if (k ~ /^(p50_us|p99_us|p999_us|duration_us)$/) { if (v > m[k]) m[k] = v } else s[k] += v } }
    END { printf "RESULT requests=%d duration_us=%d sent=%d ok=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d p999_us=%d\n",
      s["requests"], m["duration_us"], s["sent"], s["ok"], s["non2xx"], s["connect"], s["read"], s["write"], s["timeout"],
      m["p50_us"], m["p99_us"], m["p999_us"] }'
}

# ingest TAG SCRIPT URL...: warm-up, then the measured run, spread over the URLs (see wrk_spread); prints the measured
# RESULT line (see ingest.lua) with the hosts' CPU time, wrk's and the whole machine's, the warm-up's as WARMUP, and for
# a durable host (CleanChat, the durable reference) the group commits of the measured run as COMMITS.
ingest() {
  local tag=$1 script=$2
  shift 2
  wrk_spread warm "$tag" "$warmup" "$script" "$@"
  local cpu_before writer_before commits_before busy_before wall_before busy_after wall_after
  cpu_before=$(cpu_seconds)
  writer_before=$(writer_cpu_seconds)
  commits_before=$(commit_metrics "$@")
  read -r busy_before wall_before < <(machine_busy_seconds)
  wrk_spread run "$tag" "$duration" "$script" "$@" -- --latency
  read -r busy_after wall_after < <(machine_busy_seconds)
  echo "$(sum_results "$work"/wrk-run-"$tag"-*.txt) cpu_s=$(cpu_seconds) cpu0_s=$cpu_before writer_s=$(writer_cpu_seconds) writer0_s=$writer_before" \
    "busy_s=$busy_after busy0_s=$busy_before wall_s=$wall_after wall0_s=$wall_before wrk_s=$(cat "$work"/wrk-run-"$tag"-*.cpu | awk '{ t += $1 } END { printf "%.2f", t }')"
  sum_results "$work"/wrk-warm-"$tag"-*.txt | sed 's/^RESULT/WARMUP/'
  echo "COMMITS $(commit_metrics "$@" | sed 's/=/_after=/g') $(sed 's/=/_before=/g' <<<"$commits_before")"
}

field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2" | head -1; }

# A gRPC unary request body as h2load sends it: the 5-byte frame header (uncompressed, big-endian length)
# followed by the protobuf message, written here from hex.
grpc_frame() { # hex of the message, file
  local hex=$1 length=$((${#1} / 2))
  printf '00%08x%s' "$length" "$hex" | xxd -r -p >"$2"
}
need xxd xxd
get_request="$work/get.bin"
list_request="$work/list.bin"
grpc_frame 0801 "$get_request"                                          # GetWebhookEventRequest { sequence: 1 }
grpc_frame "0a0a$(printf '%s' "$app_id" | xxd -p)5064" "$list_request"   # ListWebhookEventsRequest { sdk_app_id, page_size: 100 }

# grpc_check URL REQUEST NAME: one call with curl; prints the response body's size, fails unless grpc-status is 0.
grpc_check() {
  curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary "@$2" -D "$work/$3.headers" -o "$work/$3.body" "$1"
  if ! grep -qi '^grpc-status: *0' "$work/$3.headers"; then
    echo "$3: the gRPC call did not succeed:" >&2
    cat "$work/$3.headers" >&2
    exit 1
  fi
  stat -c %s "$work/$3.body"
}

# grpc_load URL REQUEST NAME: h2load; prints "RESULT ..." like ingest. h2load counts a gRPC error as a
# success, so successes are counted from the response bytes: every successful answer to the same request
# has the same size (checked once with grpc_check), an error has no message at all.
grpc_load() {
  local size
  size=$(grpc_check "$1" "$2" "$3")
  # Warm-up as a run of its own: h2load's --warm-up-time leaves the warm-up's bytes in the traffic counts.
  h2load -t "$threads" -c "$connections" -m 1 -D "$warmup" \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$2" "$1" >/dev/null
  local cpu_before
  cpu_before=$(cpu_seconds)
  h2load -t "$threads" -c "$connections" -m 1 -D "$duration" \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$2" --log-file="$work/$3.log" "$1" >"$work/$3.h2load"
  local out requests rps data
  out=$(cat "$work/$3.h2load")
  rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
  requests=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' <<<"$out")
  data=$(sed -n 's/^traffic: .* (\([0-9]*\)) data.*/\1/p' <<<"$out")
  local grpc_ok=$((data / size))
  local cpu_after
  cpu_after=$(cpu_seconds)
  sort -n -k3 "$work/$3.log" | awk -v cpu="cpu_s=$cpu_after cpu0_s=$cpu_before" -v rps="$rps" -v requests="$requests" -v ok="$grpc_ok" -v exact=$((data % size == 0)) '
    { d[NR] = $3 }
    END {
      printf "RESULT rps=%s requests=%d ok=%d exact=%d p50_us=%d p99_us=%d p999_us=%d %s\n", rps, requests, ok, exact,
        d[int(NR * 0.50) + 1], d[int(NR * 0.99) + 1], d[int(NR * 0.999) + 1], cpu
    }'
}

cpu_per_request() { # RESULT line: host CPU µs per answered request in the measured run
  awk -v a="$(field cpu0_s "$1")" -v b="$(field cpu_s "$1")" -v n="$(field requests "$1")" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }'
}
writer_cpu_per_request() { # RESULT line of an ingest: the writer thread's share of cpu_per_request
  awk -v a="$(field writer0_s "$1")" -v b="$(field writer_s "$1")" -v n="$(field requests "$1")" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }'
}
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
rps_of() { awk -v r="$(field requests "$1")" -v d="$(field duration_us "$1")" 'BEGIN { printf "%.0f", r / (d / 1e6) }'; }

# 1. Baseline.
http_port=$(free_port)
grpc_port=$(free_port)
echo "baseline: POST /webhook" >&2
start_host baseline "$baseline_dll" \
  "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$http_port" \
  "Kestrel__Endpoints__Grpc__Url=http://127.0.0.1:$grpc_port" Kestrel__Endpoints__Grpc__Protocols=Http2
base_ingest=$(ingest baseline bench/ingest.lua "http://127.0.0.1:$http_port/webhook" | grep '^RESULT')
echo "baseline: POST /webhook, the traffic mix" >&2
base_mix=$(ingest baselinemix bench/mix.lua "http://127.0.0.1:$http_port/webhook" | grep '^RESULT')
echo "baseline: no-op gRPC" >&2
base_grpc=$(grpc_load "http://127.0.0.1:$grpc_port/cleanchat.v1.WebhookEventService/GetWebhookEvent" "$get_request" baseline-grpc)
stop_host
base_rss=$peak_rss

# 2. The durable reference on a fresh database of the same engine, under the same load as CleanChat's ingest.
http_port=$(free_port)
echo "durable reference on $engine_name: POST /webhook (synchronous=$synchronous)" >&2
[ "$engine" != postgres ] || pg_sql "CREATE DATABASE $reference_database" >/dev/null
start_host reference "$baseline_dll" \
  "${reference_settings[@]}" "Reference__Synchronous=$synchronous" "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$http_port"
both=$(ingest reference bench/ingest.lua "http://127.0.0.1:$http_port/webhook")
ref_ingest=$(grep '^RESULT' <<<"$both")
ref_warm=$(grep '^WARMUP' <<<"$both")
ref_commits=$(grep '^COMMITS' <<<"$both")
stop_host
ref_rss=$peak_rss
ref_rows_check=$(rows_check "$ref_ingest" "$ref_warm" "$(count_rows "$reference_database")")

# 3. WebhookApi on a fresh database: the destroyed-account load, then on another fresh database the traffic mix.
http_port=$(free_port)
echo "CleanChat on $engine_name: POST /webhook (synchronous=$synchronous)" >&2
[ "$engine" != postgres ] || pg_sql "CREATE DATABASE $destroyed_database" >/dev/null
start_host webhook "$webhook_dll" \
  "${destroyed_storage_settings[@]}" "Storage__Spool__Path=$work/spool-webhook.db" "Webhook__SdkAppIds__0=$app_id" "Webhook__Token=$token" \
  "Storage__Synchronous=$synchronous" "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$http_port"
both=$(ingest cleanchat bench/ingest.lua "http://127.0.0.1:$http_port/webhook")
cc_ingest=$(grep '^RESULT' <<<"$both")
cc_warm=$(grep '^WARMUP' <<<"$both")
cc_commits=$(grep '^COMMITS' <<<"$both")
stop_host
webhook_rss=$peak_rss
rows_check=$(rows_check "$cc_ingest" "$cc_warm" "$(count_rows "$destroyed_database")")

http_port=$(free_port)
echo "CleanChat on $engine_name: POST /webhook, the traffic mix (synchronous=$synchronous)" >&2
start_host webhook-mix "$webhook_dll" \
  "${storage_settings[@]}" "Storage__Spool__Path=$work/spool-webhook-mix.db" "Webhook__SdkAppIds__0=$app_id" "Webhook__Token=$token" \
  "Storage__Synchronous=$synchronous" "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$http_port"
both=$(ingest cleanchatmix bench/mix.lua "http://127.0.0.1:$http_port/webhook")
cc_mix=$(grep '^RESULT' <<<"$both")
cc_mix_warm=$(grep '^WARMUP' <<<"$both")
cc_mix_commits=$(grep '^COMMITS' <<<"$both")
stop_host
mix_rss=$peak_rss
mix_rows_check=$(rows_check "$cc_mix" "$cc_mix_warm" "$(count_rows)")
mix_stored=$(mix_as_stored)

# 4. GrpcApi on the database the traffic mix filled.
grpc_port=$(free_port)
echo "CleanChat on $engine_name: GetWebhookEvent, ListWebhookEvents" >&2
start_host grpc "$grpc_dll" \
  "${storage_settings[@]}" \
  "Kestrel__Endpoints__Grpc__Url=http://127.0.0.1:$grpc_port" Kestrel__Endpoints__Grpc__Protocols=Http2 \
  "Kestrel__Endpoints__Metrics__Url=http://127.0.0.1:$(free_port)"
cc_get=$(grpc_load "http://127.0.0.1:$grpc_port/cleanchat.v1.WebhookEventService/GetWebhookEvent" "$get_request" get)
cc_list=$(grpc_load "http://127.0.0.1:$grpc_port/cleanchat.v1.WebhookEventService/ListWebhookEvents" "$list_request" list)
stop_host
grpc_rss=$peak_rss

# 5. With --nodes N: N WebhookApi nodes on another fresh database, the same load spread over them.
if ((nodes > 1)); then
  pg_sql "CREATE DATABASE cleanchat_nodes" >/dev/null
  nodes_settings=(Storage__Engine=Postgres "ConnectionStrings__CleanChat=${connection/Database=cleanchat;/Database=cleanchat_nodes;}")
  node_urls=()
  echo "CleanChat on $engine_name: POST /webhook on $nodes nodes" >&2
  for ((i = 1; i <= nodes; i++)); do
    http_port=$(free_port)
    # Each node its own spool file, as on separate machines.
    start_host "webhook-node-$i" "$webhook_dll" \
      "${nodes_settings[@]}" "Storage__Spool__Path=$work/spool-node-$i.db" "Webhook__SdkAppIds__0=$app_id" "Webhook__Token=$token" \
      "Storage__Synchronous=$synchronous" "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$http_port"
    node_urls+=("http://127.0.0.1:$http_port/webhook")
  done
  both=$(ingest nodes bench/ingest.lua "${node_urls[@]}")
  nodes_ingest=$(grep '^RESULT' <<<"$both")
  nodes_warm=$(grep '^WARMUP' <<<"$both")
  nodes_commits=$(grep '^COMMITS' <<<"$both")
  nodes_rss=$(peak_rss_mb)
  nodes_rows_check=$(rows_check "$nodes_ingest" "$nodes_warm" "$(count_rows cleanchat_nodes)")

  # 6. Watch lag on a GrpcApi node while the N webhook nodes write.
  grpc_port=$(free_port)
  echo "CleanChat on $engine_name: watch lag on a gRPC node, webhooks over $nodes nodes" >&2
  start_host grpc-node "$grpc_dll" \
    "${nodes_settings[@]}" \
    "Kestrel__Endpoints__Grpc__Url=http://127.0.0.1:$grpc_port" Kestrel__Endpoints__Grpc__Protocols=Http2 \
    "Kestrel__Endpoints__Metrics__Url=http://127.0.0.1:$(free_port)"
  lag_args=()
  for url in "${node_urls[@]}"; do lag_args+=(--webhook "${url%/webhook}"); done
  lag=$(dotnet "$lag_dll" "${lag_args[@]}" --grpc "http://127.0.0.1:$grpc_port" --token "$token" --app-id "$app_id" \
    --events "${BENCH_LAG_EVENTS:-1000}" --concurrency "${BENCH_LAG_CONCURRENCY:-4}" | tee "$work/lag.txt" | grep '^RESULT')
  stop_host
fi

grpc_status() { # RESULT line: all answers counted as successes by h2load were gRPC OK
  if (($(field exact "$1") == 1 && $(field ok "$1") == $(field requests "$1"))); then
    echo "$(field ok "$1") of $(field requests "$1") grpc-status 0 ✓"
  else
    echo "only $(field ok "$1") of $(field requests "$1") were gRPC OK ✗"
  fi
}

base_rps=$(rps_of "$base_ingest")
ref_rps=$(rps_of "$ref_ingest")
cc_rps=$(rps_of "$cc_ingest")
base_mix_rps=$(rps_of "$base_mix")
cc_mix_rps=$(rps_of "$cc_mix")
base_grpc_rps=$(field rps "$base_grpc")
owners=${BENCH_OWNERS:-100000}
if [ "$owners" = 1 ]; then
  destroyed_load="destroyed callbacks, every account one owner's (best case)"
else
  destroyed_load="destroyed callbacks, a new account each, owners Zipf over $owners"
fi
mix_load="traffic mix${BENCH_MIX:+ BENCH_MIX=$BENCH_MIX} (bench/README.md)"
row() { # name rps result rss ratio-to-baseline ratio-to-reference check
  echo "| $1 | $2 | $(ms "$(field p50_us "$3")") | $(ms "$(field p99_us "$3")") | $(ms "$(field p999_us "$3")") | $(cpu_per_request "$3") | $4 | $5 | $6 | $7 |"
}
# commit_row NAME COMMITS RESULT: commits/s, events per commit and mean time per commit in the measured run.
commit_row() {
  local d=$(($(field commits_after "$2") - $(field commits_before "$2")))
  awk -v name="$1" -v d="$d" -v s1="$(field commit_s_after "$2")" -v s0="$(field commit_s_before "$2")" \
    -v e="$(($(field batch_events_after "$2") - $(field batch_events_before "$2")))" -v us="$(field duration_us "$3")" '
    BEGIN { if (d == 0) { printf "| %s | 0 | | |\n", name; exit }
      printf "| %s | %.0f | %.1f | %.2f |\n", name, d / (us / 1e6), e / d, (s1 - s0) * 1000 / d }'
}
commit_table() {
  echo "| group commits in the measured run | commits/s | events per commit | ms per commit |"
  echo "|---|---:|---:|---:|"
  commit_row "durable reference on $engine_name" "$ref_commits" "$ref_ingest"
  commit_row "CleanChat on $engine_name, 1 node" "$cc_commits" "$cc_ingest"
  commit_row "CleanChat on $engine_name, 1 node, traffic mix" "$cc_mix_commits" "$cc_mix"
  ((nodes == 1)) || commit_row "CleanChat on $engine_name, $nodes nodes (summed; the time includes waiting for the commit lock)" "$nodes_commits" "$nodes_ingest"
}
lag_line() {
  local target="✓ under 250 ms"
  awk -v p="$(field p99_ms "$lag")" 'BEGIN { exit !(p >= 250) }' && target="✗ not under 250 ms"
  echo "Watch lag on a GrpcApi node while $nodes webhook nodes write ($(field events "$lag") webhooks round-robin over the nodes," \
    "$(field concurrency "$lag") posters, $(field webhooks_per_s "$lag") webhooks/s; from each OK to the event on the stream):" \
    "p50 $(field p50_ms "$lag") ms, p90 $(field p90_ms "$lag") ms, p99 $(field p99_ms "$lag") ms, max $(field max_ms "$lag") ms; p99 $target."
}
# reference_line: CleanChat's single-node ingest against the durable reference, with the targets of the ingest issue:
# requests/s at least 0.9 × the reference's, host CPU per request at most 10 µs above it.
reference_line() {
  local cc_cpu ref_cpu cc_writer ref_writer
  cc_cpu=$(cpu_per_request "$cc_ingest")
  ref_cpu=$(cpu_per_request "$ref_ingest")
  cc_writer=$(writer_cpu_per_request "$cc_ingest")
  ref_writer=$(writer_cpu_per_request "$ref_ingest")
  awk -v cc="$cc_rps" -v ref="$ref_rps" -v base="$base_rps" -v cc_cpu="$cc_cpu" -v ref_cpu="$ref_cpu" \
    -v cc_writer="$cc_writer" -v ref_writer="$ref_writer" -v engine="$engine_name" 'BEGIN {
    r = cc / ref; cc_side = cc_cpu - cc_writer; ref_side = ref_cpu - ref_writer; d = cc_side - ref_side
    printf "CleanChat against the durable reference on %s (the same schema, SQL and load): requests/s %.2f× (target ≥ 0.9× %s);", engine, r, (r >= 0.9 ? "✓" : "✗")
    printf " host CPU per request %d against %d µs: on the request side %d against %d µs, %+d µs (target at most +10 µs %s),", cc_cpu, ref_cpu, cc_side, ref_side, d, (d <= 10 ? "✓" : "✗")
    printf " on the writer thread %d against %d µs; the reference itself is %.2f× the baseline.\n", cc_writer, ref_writer, ref / base }'
}
# mix_line: the traffic mix's host CPU split like reference_line's, against the baseline under the same mix.
mix_line() {
  awk -v cc="$cc_mix_rps" -v base="$base_mix_rps" -v destroyed="$cc_rps" -v cpu="$(cpu_per_request "$cc_mix")" \
    -v writer="$(writer_cpu_per_request "$cc_mix")" -v base_cpu="$(cpu_per_request "$base_mix")" -v engine="$engine_name" 'BEGIN {
    printf "CleanChat on %s under the traffic mix: %.2f× the baseline under the same mix and %.2f× its own destroyed-account load;", engine, cc / base, cc / destroyed
    printf " host CPU per request %d µs (the baseline %d µs): on the writer thread %d µs, on the request side %d µs.", cpu, base_cpu, writer, cpu - writer
    printf " The durable reference knows only the destroyed callback, so the mix has no reference ratio.\n" }'
}
# wrk_line: the load generator's own CPU in each measured ingest run, per request and against the machine's busy time,
# so a run whose generator took the cores can be told apart from one the host limited.
wrk_line() {
  local name result parts=()
  for name in "baseline, destroyed" "baseline, mix" "durable reference" "CleanChat, destroyed" "CleanChat, mix"; do
    case $name in
      "baseline, destroyed") result=$base_ingest ;;
      "baseline, mix") result=$base_mix ;;
      "durable reference") result=$ref_ingest ;;
      "CleanChat, destroyed") result=$cc_ingest ;;
      "CleanChat, mix") result=$cc_mix ;;
    esac
    parts+=("$(awk -v name="$name" -v w="$(field wrk_s "$result")" -v b1="$(field busy_s "$result")" -v b0="$(field busy0_s "$result")" \
      -v t1="$(field wall_s "$result")" -v t0="$(field wall0_s "$result")" -v h1="$(field cpu_s "$result")" -v h0="$(field cpu0_s "$result")" \
      -v n="$(field requests "$result")" 'BEGIN {
      s = t1 - t0; printf "%s %.0f µs/request, %.2f cores (host %.2f, machine busy %.2f)", name, w * 1e6 / n, w / s, (h1 - h0) / s, (b1 - b0) / s }')")
  done
  local IFS=';'
  echo "wrk's own CPU in the measured runs (the machine has $(nproc) cores; 'machine busy' counts every process, the other workers' too):${parts[*]/#/ }."
}
nodes_row= nodes_note= lag_text=
if ((nodes > 1)); then
  nodes_note=$'\n'"$nodes nodes: one wrk per node at once, the $connections connections and $threads threads divided between them"
  nodes_note+=" (at least one thread each); requests/s is all requests over the longest run, each percentile the worst node's."
  lag_text=$'\n'$(lag_line)
  nodes_row=$'\n'$(row "CleanChat on $engine_name: POST /webhook, $destroyed_load, synchronous=$synchronous, $nodes nodes (summed; worst node's percentiles)" \
    "$(rps_of "$nodes_ingest")" "$nodes_ingest" "$nodes_rss" "$(ratio "$(rps_of "$nodes_ingest")" "$base_rps")" \
    "$(ratio "$(rps_of "$nodes_ingest")" "$ref_rps")" "$(field non2xx "$nodes_ingest") non-200; $nodes_rows_check")
fi
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
table=$(cat <<EOF
| load | requests/s | p50 ms | p99 ms | p99.9 ms | host CPU µs/request | peak RSS MB | CleanChat / baseline | CleanChat / durable reference | check |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
$(row "baseline: POST /webhook, $destroyed_load, parse only" "$base_rps" "$base_ingest" "$base_rss" "" "" "$(field non2xx "$base_ingest") non-200")
$(row "durable reference on $engine_name: POST /webhook, $destroyed_load, parse and group commit, synchronous=$synchronous" "$ref_rps" "$ref_ingest" "$ref_rss" "" "" "$(field non2xx "$ref_ingest") non-200; $ref_rows_check")
$(row "CleanChat on $engine_name: POST /webhook, $destroyed_load, synchronous=$synchronous" "$cc_rps" "$cc_ingest" "$webhook_rss" "$(ratio "$cc_rps" "$base_rps")" "$(ratio "$cc_rps" "$ref_rps")" "$(field non2xx "$cc_ingest") non-200; $rows_check")
$(row "baseline: POST /webhook, $mix_load, parse only" "$base_mix_rps" "$base_mix" "$base_rss" "" "" "$(field non2xx "$base_mix") non-200")
$(row "**CleanChat on $engine_name: POST /webhook, $mix_load, synchronous=$synchronous**" "$cc_mix_rps" "$cc_mix" "$mix_rss" "$(ratio "$cc_mix_rps" "$base_mix_rps")" "" "$(field non2xx "$cc_mix") non-200; $mix_rows_check")$nodes_row
$(row "baseline: no-op gRPC" "$base_grpc_rps" "$base_grpc" "$base_rss" "" "" "$(grpc_status "$base_grpc")")
$(row "CleanChat on $engine_name: GetWebhookEvent" "$(field rps "$cc_get")" "$cc_get" "$grpc_rss" "$(ratio "$(field rps "$cc_get")" "$base_grpc_rps")" "" "$(grpc_status "$cc_get")")
$(row "CleanChat on $engine_name: ListWebhookEvents, page of 100" "$(field rps "$cc_list")" "$cc_list" "$grpc_rss" "$(ratio "$(field rps "$cc_list")" "$base_grpc_rps")" "" "$(grpc_status "$cc_list")")

$(reference_line)
$(mix_line)
The traffic mix as stored: $mix_stored
$(wrk_line)

$connections connections, ${duration} s after a ${warmup} s warm-up, wrk and h2load with $threads threads on the same machine;
$(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr), .NET $(dotnet --version);
hosts in Release with ASPNETCORE_ENVIRONMENT=Production, logging ${log_level:-as in appsettings.json (one line per webhook)}, webhook authentication on (every request signed);
storage: $storage_note; each ingest on a fresh database, the gRPC loads on the one the traffic mix filled.$nodes_note

$(commit_table)$lag_text
load average (1, 5, 15 min): $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after.
EOF
)
mkdir -p bench/results
echo "$table" | tee "bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$engine.md"
