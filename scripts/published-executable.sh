# Sourced by test.sh and the trial scripts: the tests that start replicasync as a process start what ships, the
# native executable of scripts/publish.sh (CliProcess reads REPLICASYNC_EXECUTABLE).
#
# use_published_executable DIR: publishes into DIR and exports REPLICASYNC_EXECUTABLE, unless the caller already
# named an executable there. Prints the publish log's end and fails when the publish fails.
use_published_executable() {
  [ -n "${REPLICASYNC_EXECUTABLE:-}" ] && return 0
  if ! bash scripts/publish.sh "$1" >"$1.log" 2>&1; then
    tail -n 30 "$1.log"
    echo "publish failed"
    return 1
  fi
  export REPLICASYNC_EXECUTABLE="$1/replicasync"
}
