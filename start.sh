#!/usr/bin/env bash
# Starts CleanChat locally. Ctrl-C stops everything it started.
#
#   ./start.sh              the embedded default: SQLite at data/cleanchat.db, shared by the two hosts
#     webhook  http://127.0.0.1:5080/webhook   (demo SdkAppid 1400000000)
#     gRPC     http://127.0.0.1:5081           (h2c, reflection on; /metrics and /readyz on :5082)
#
#   ./start.sh --postgres   a cluster on one throwaway PostgreSQL (the installed server, in a temporary folder):
#     webhook  http://127.0.0.1:5080/webhook and http://127.0.0.1:5090/webhook   (two nodes; put a load balancer in front)
#     gRPC     http://127.0.0.1:5081           (h2c, reflection on; /metrics and /readyz on :5082)
#     The database goes away on Ctrl-C. Its connection string is printed at start.
set -euo pipefail
cd "$(dirname "$0")"

engine=sqlite
case "${1:-}" in
  "") ;;
  --postgres) engine=postgres ;;
  *) echo "usage: $0 [--postgres]" >&2; exit 2 ;;
esac

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
dotnet build src/WebhookApi/WebhookApi.csproj -c Release -nologo -v quiet
dotnet build src/GrpcApi/GrpcApi.csproj -c Release -nologo -v quiet

pids=()
database=
stop_all() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -n "$database" ]; then scripts/postgres.sh stop "$database" >/dev/null || true; fi
}
trap stop_all INT TERM EXIT

if [ "$engine" = postgres ]; then
  database=$(mktemp -d -t cleanchat-postgres.XXXXXX)
  connection=$(scripts/postgres.sh start "$database")
  export Storage__Engine=Postgres ConnectionStrings__CleanChat="$connection"
  echo "PostgreSQL: $connection"
fi

# On PostgreSQL each webhook node keeps a spool of its own (callbacks wait there while the database is down).
Storage__Spool__Path="$PWD/data/spool-5080.db" dotnet run --no-build -c Release --project src/WebhookApi &
pids+=($!)
if [ "$engine" = postgres ]; then
  Storage__Spool__Path="$PWD/data/spool-5090.db" Kestrel__Endpoints__Http__Url=http://127.0.0.1:5090 \
    dotnet run --no-build -c Release --project src/WebhookApi &
  pids+=($!)
  echo "webhook nodes: http://127.0.0.1:5080/webhook http://127.0.0.1:5090/webhook; gRPC: 127.0.0.1:5081"
fi
dotnet run --no-build -c Release --project src/GrpcApi &
pids+=($!)
wait -n
