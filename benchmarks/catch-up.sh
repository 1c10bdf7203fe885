#!/usr/bin/env bash
# Whole-process catch-up rate: a new replica of a table with a long history of small versions, read from version 0
# (`--from 0`), shared by `replicasync serve` with its files on nginx (as a provider's files are on an object store).
# Prints versions per second (median of the rounds), and per round the sync's peak RSS, the CPU seconds of the sync and
# of the server, and the checkpoints the run left.
#
#   benchmarks/catch-up.sh [rounds] [publish-dir]   (default 3, a fresh scripts/publish.sh build)
#
# Environment: CATCHUP_VERSIONS   versions of the table (default 2001: versions 0..2000)
#              CATCHUP_FILES      small files each version adds (default 10, 1 KiB each)
#              CATCHUP_DEST       where the replicas go (default /dev/shm, so the disk is not what is measured)
#              CATCHUP_ARGS       extra `replicasync sync` arguments (e.g. "--checkpoint-every 0")
# Needs: nginx (apt-get install nginx-light), python3, curl, GNU time (/usr/bin/time), dotnet.
set -euo pipefail

ROUNDS=${1:-3}
VERSIONS=${CATCHUP_VERSIONS:-2001}
FILES=${CATCHUP_FILES:-10}
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUN=$(mktemp -d)
DEST=$(mktemp -d "${CATCHUP_DEST:-/dev/shm}/replicasync-catchup-XXXXXX")
cleanup() {
  [[ -f $RUN/nginx.pid ]] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
  [[ -n ${SERVE_PID:-} ]] && kill "$SERVE_PID" 2>/dev/null || true
  rm -rf "$RUN" "$DEST"
}
trap cleanup EXIT

source "$REPO/benchmarks/bench-share.sh"
publish_replicasync "${2:-}"

python3 - "$RUN/table" "$VERSIONS" "$FILES" <<'EOF'
import json, os, sys
root, versions, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(os.path.join(root, "_delta_log"))
schema = json.dumps({"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": True, "metadata": {}}]})
for v in range(versions):
    lines = [{"commitInfo": {"timestamp": 1700000000000 + v, "operation": "WRITE"}}]
    if v == 0:
        lines += [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
                  {"metaData": {"id": "00000000-0000-0000-0000-000000000001", "format": {"provider": "parquet", "options": {}},
                                "schemaString": schema, "partitionColumns": [], "configuration": {}, "createdTime": 1700000000000}}]
    for i in range(files):
        name = f"part-{v:05d}-{i:03d}.bin"
        with open(os.path.join(root, name), "wb") as f:
            f.write(os.urandom(1024))
        lines.append({"add": {"path": name, "partitionValues": {}, "size": 1024, "modificationTime": 1700000000000 + v, "dataChange": True}})
    with open(os.path.join(root, "_delta_log", f"{v:020d}.json"), "w") as f:
        f.write("\n".join(json.dumps(l) for l in lines) + "\n")
EOF

HTTP_PORT=$(free_port)
start_nginx "$RUN/table" "$HTTP_PORT" 1
serve_tables '{}' history "$RUN/table" "http://127.0.0.1:$HTTP_PORT"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
secs=()
for i in $(seq "$ROUNDS"); do
  server_before=$(cpu_seconds "$SERVE_PID")
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %U %S %M" -o "$RUN/time" "${BIN[@]}" sync --table "$RUN/bench.share#bench.default.history" --target "$DEST/r$i" --from 0 \
    ${CATCHUP_ARGS:-} >"$RUN/out" 2>&1 || { tail -5 "$RUN/out" >&2; exit 1; }
  tail -1 "$RUN/out" | grep -q "replica at version $((VERSIONS - 1))" || { tail -3 "$RUN/out" >&2; exit 1; }
  read -r wall user sys rss_kb <"$RUN/time"
  secs+=("$wall")
  checkpoints=$(find "$DEST/r$i/_delta_log" -name '*.checkpoint.parquet' | wc -l)
  last=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$DEST/r$i/_delta_log/_last_checkpoint" 2>/dev/null || echo none)
  server=$(awk -v a="$server_before" -v b="$(cpu_seconds "$SERVE_PID")" 'BEGIN {printf "%.2f", b - a}')
  echo "round $i: $wall s, peak RSS $((rss_kb / 1024)) MB; CPU: sync $user user + $sys sys, server $server s; $checkpoints checkpoints, _last_checkpoint at version $last" >&2
  rm -rf "${DEST:?}/r$i"
done
med=$(printf '%s\n' "${secs[@]}" | median)
awk -v v="$VERSIONS" -v f="$FILES" -v s="$med" -v r="${secs[*]}" \
  'BEGIN {printf "catch-up of %d versions x %d files of 1 KiB: median %.2f s = %.0f versions/s (rounds: %s)\n", v, f, s, v / s, r}'
