#!/usr/bin/env bash
# The embedded demo: no account, no network. Generates a provider Delta table, serves it on 127.0.0.1 with the
# built-in Delta Sharing server, replicates it into ./demo/replica, adds versions and syncs again.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project src/SyncDaemon -- demo "$@"
