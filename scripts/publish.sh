#!/usr/bin/env bash
# Publishes the replicasync daemon (framework-dependent, Release, ReadyToRun for this machine's OS and CPU
# architecture: the csproj sets PublishReadyToRun, which needs a runtime identifier) into the folder given,
# default ./publish.
# The Dockerfile's build stage runs this same script, so the image holds exactly what the tests run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-publish}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish src/SyncDaemon/SyncDaemon.csproj -c Release -o "$out" --no-self-contained --use-current-runtime -p:UseAppHost=false
cp scripts/healthcheck.sh "$out/healthcheck.sh"
