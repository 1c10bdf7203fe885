#!/usr/bin/env bash
# Publishes the replicasync daemon as one native executable, `replicasync` (Release, Native AOT for this machine's
# OS and CPU architecture: the csproj sets PublishAot; it links with the system's C toolchain), into the folder
# given, default ./publish. It runs without a .NET runtime on the machine.
# The Dockerfile's build stage runs this same script, so the image holds exactly what the tests run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-publish}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish src/SyncDaemon/SyncDaemon.csproj -c Release -o "$out" --use-current-runtime
cp scripts/healthcheck.sh "$out/healthcheck.sh"
