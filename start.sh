#!/usr/bin/env bash
# Starts both hosts on the embedded default: SQLite at data/cleanchat.db, shared by the two.
#   webhook  http://127.0.0.1:5080/webhook   (demo SdkAppid 1400000000)
#   gRPC     http://127.0.0.1:5081           (h2c, reflection on)
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
dotnet build src/WebhookApi/WebhookApi.csproj -c Release -nologo -v quiet
dotnet build src/GrpcApi/GrpcApi.csproj -c Release -nologo -v quiet

dotnet run --no-build -c Release --project src/WebhookApi &
webhook=$!
dotnet run --no-build -c Release --project src/GrpcApi &
grpc=$!
trap 'kill "$webhook" "$grpc" 2>/dev/null || true; wait' INT TERM EXIT
wait -n
