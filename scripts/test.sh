#!/usr/bin/env bash
# Runs the whole test suite and ends with one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The Parquet tests compare with independent readers (DuckDB, hyparquet) that node runs from tests/js.
if [ ! -d tests/js/node_modules ]; then
  command -v npm >/dev/null || { echo "node and npm are required for the Parquet tests"; exit 1; }
  npm ci --prefix tests/js --no-audit --no-fund || exit 1
fi

# Storage emulators the tests start on 127.0.0.1: Azurite (Azure Blob) and the Firebase Storage emulator (GCS).
if [ ! -d tests/emulators/node_modules ]; then
  npm ci --prefix tests/emulators --no-audit --no-fund || exit 1
fi

# promtool and a real Prometheus server check the daemon's /metrics scrape.
if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
  if command -v apt-get >/dev/null; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null || exit 1
  else
    echo "prometheus and promtool are required for the metrics tests"; exit 1
  fi
fi

# PostgreSQL (the cluster tests start their own server as the postgres user) and headless Chromium (the status page test).
missing=""
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
command -v chromium >/dev/null || missing="$missing chromium"
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
  else
    echo "$missing required for the cluster and status page tests"; exit 1
  fi
fi

log=$(mktemp)
published=$(mktemp -d)
trap 'rm -rf "$log" "$published"' EXIT
dotnet build ReplicaSync.sln -c Release 2>&1 | tail -n 3
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  echo "build failed"
  exit "$build"
fi

# The process tests run the shipped native executable (REPLICASYNC_EXECUTABLE), published here unless already named.
source scripts/published-executable.sh
use_published_executable "$published/bin" || exit 1
dotnet test ReplicaSync.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed! - Failed: x, Passed: y, Skipped: z, Total: t" line per test project.
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- ' "$log" | awk -F'[:,]' '
  { for (i = 1; i <= NF; i++) { gsub(/ /, "", $i) }
    for (i = 1; i < NF; i++) { if ($i ~ /Failed$/) f += $(i+1); if ($i == "Passed") p += $(i+1); if ($i == "Skipped") s += $(i+1) } }
  END { printf "%d %d %d\n", p, f, s }')
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
  echo "no test ran"
  exit 1
fi
exit "$status"
