#!/usr/bin/env bash
# Kill -9 trials: SIGKILLs to `replicasync sync` and to the daemon while they replicate a provider table (appends,
# deletes, OPTIMIZE rewrites, a schema change) into one store, with the replica checked after every kill, and each
# chain of kills ended by a completing run. Prints the figures (kills, invalid replicas, lost versions, chains).
#
#   scripts/crash-trials.sh --store local|s3|azure|gcs [--kills 200] [--seed 1206] [--versions 120] [--minutes M] [--no-build]
#
# --minutes bounds the time: no kill starts after it, the chain under way still completes and the figures say how many
# kills were made.
#
# The processes killed are the shipped native executable: published first (~5 minutes), unless
# REPLICASYNC_EXECUTABLE names one.
# The emulator of the store (moto_server, Azurite, the Firebase Storage emulator) is started by the trial itself.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

store="" kills=200 seed=1206 versions=120 minutes=0 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --kills) kills="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --versions) versions="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$store" in
  local|s3|azure|gcs) ;;
  *) echo "--store must be local, s3, azure or gcs" >&2; exit 2 ;;
esac

if [ "$build" -eq 1 ]; then
  dotnet build tests/Integration.Tests -c Release 2>&1 | tail -n 2
fi
# The trial runs from a copy of the test binaries (inside the repo, so the tests find it), so a rebuild during a long
# trial cannot change the processes it starts and kills.
work="$PWD/.crash-trials"
copy="$work/bin-$store-$$"
mkdir -p "$copy"
trap 'rm -rf "$copy"' EXIT
cp -r tests/Integration.Tests/bin/Release/net10.0/. "$copy/"
source scripts/published-executable.sh
use_published_executable "$copy/published" || exit 1
log="$work/$store-seed$seed.log"
: > "$log"
echo "progress: $log"

started=$(date +%s)
REPLICASYNC_TRIAL_KILLS="$kills" REPLICASYNC_TRIAL_SEED="$seed" REPLICASYNC_TRIAL_VERSIONS="$versions" REPLICASYNC_TRIAL_MINUTES="$minutes" REPLICASYNC_TRIAL_LOG="$log" \
  nice -n 10 dotnet test "$copy/Integration.Tests.dll" --filter "FullyQualifiedName~CrashTrialTests&DisplayName~\"$store\"" > "$log.out" 2>&1
status=$?
grep -E "(Passed|Failed)! " "$log.out" || true
if [ "$status" -ne 0 ]; then
  grep -E -A 12 "Error Message:" "$log.out" | head -n 40
fi
grep -E "^[0-9:]+ (store |PROBLEM)" "$log" || true
echo "elapsed: $(( $(date +%s) - started )) s"
exit "$status"
