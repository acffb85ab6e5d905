#!/usr/bin/env bash
# Watch delivery lag: p50/p99 from a webhook's OK to the event arriving on an open WatchWebhookEvents stream.
# Starts WebhookApi and GrpcApi as separate Release processes on a fresh SQLite file, on free loopback ports.
# Options (all optional): --events 1000 --concurrency 4 --watchers 1 --pause-ms 0
# Exit code 1 when p99 is 250 ms or more.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/WebhookApi/WebhookApi.csproj -c Release -nologo -v quiet
dotnet build src/GrpcApi/GrpcApi.csproj -c Release -nologo -v quiet
dotnet build bench/WatchLag/WatchLag.csproj -c Release -nologo -v quiet

dotnet bench/WatchLag/bin/Release/net10.0/CleanChat.WatchLag.dll \
  --webhook-dll src/WebhookApi/bin/Release/net10.0/CleanChat.WebhookApi.dll \
  --grpc-dll src/GrpcApi/bin/Release/net10.0/CleanChat.GrpcApi.dll \
  "$@"
