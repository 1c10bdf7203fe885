#!/usr/bin/env bash
# Target-side fault trials, repeated: `replicasync sync` against moto, Azurite and the GCS emulator behind the fault
# proxy (every request failing, then 15% failing or throttled), and into a real tmpfs that fills halfway (needs root:
# it mounts one). Each repetition checks the replica after every run and prints what it saw: runs until convergence,
# faults injected, where the filesystem filled.
#
#   scripts/target-fault-trials.sh [--repeat 3] [--only store|disk] [--no-build]
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

repeat=3 only="" build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$only" in
  "") filter="FullyQualifiedName~TargetFaultTests.Runs_against|FullyQualifiedName~FullFilesystemTests" ;;
  store) filter="FullyQualifiedName~TargetFaultTests.Runs_against" ;;
  disk) filter="FullyQualifiedName~FullFilesystemTests" ;;
  *) echo "--only must be store or disk" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ] && [ "$only" != store ]; then
  echo "the full-filesystem trial mounts a tmpfs and needs root; use --only store otherwise" >&2
  exit 2
fi

if [ "$build" -eq 1 ]; then
  dotnet build tests/Integration.Tests -c Release 2>&1 | tail -n 2
fi
out=$(mktemp)
published=$(mktemp -d)
trap 'rm -rf "$out" "$published"' EXIT
# The runs are the shipped native executable: published first (~5 minutes), unless REPLICASYNC_EXECUTABLE names one.
source scripts/published-executable.sh
use_published_executable "$published/bin" || exit 1
failed=0
for i in $(seq 1 "$repeat"); do
  echo "== repetition $i of $repeat"
  nice -n 10 dotnet test tests/Integration.Tests -c Release --no-build --filter "$filter" \
    --logger "console;verbosity=detailed" > "$out" 2>&1
  status=$?
  grep -E "converged after|run [0-9]+ failed|tmpfs filled" "$out" | grep -v "^\[xUnit" | sed 's/^ *//'
  grep -E "^Test Run (Successful|Failed)" "$out" || true
  if [ "$status" -ne 0 ]; then
    failed=$((failed + 1))
    grep -E -A 12 "Error Message:" "$out" | head -n 40
  fi
done
echo "$failed of $repeat repetitions failed"
[ "$failed" -eq 0 ]
