#!/usr/bin/env bash
# Embedded demo without any account: serves the shared test tables with the built-in Delta Sharing server on
# 127.0.0.1, replicates two of them into ./demo/replica/<table>, prints their status and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/SyncDaemon -c Release -o demo/bin 2>&1 | tail -n 1
port=${DEMO_PORT:-18080}
dotnet demo/bin/replicasync.dll serve --config config/sharing-server.example.json --urls "http://127.0.0.1:$port" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 50); do curl -fs -o /dev/null -H "Authorization: Bearer demo-token" "http://127.0.0.1:$port/delta-sharing/shares" && break; sleep 0.2; done
cat > demo/provider.share <<JSON
{"shareCredentialsVersion": 1, "endpoint": "http://127.0.0.1:$port/delta-sharing", "bearerToken": "demo-token"}
JSON
for table in simple_table partitioned deletion_vectors; do
  dotnet demo/bin/replicasync.dll sync --table "demo/provider.share#demo.default.$table" --target "demo/replica/$table"
  dotnet demo/bin/replicasync.dll status --target "demo/replica/$table"
done
echo "Replicas are ordinary Delta tables: point any Delta reader at demo/replica/<table>."
