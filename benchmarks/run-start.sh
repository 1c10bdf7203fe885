#!/usr/bin/env bash
# Whole-process start-up latency of `replicasync sync` against a provider that holds every request DELAY_MS
# (the SharingServer's delayMilliseconds fault standing in for a provider across the internet). Times, median of
# the rounds: (a) a no-op run on an up-to-date replica, (b) a new replica of a small table (3 versions, 1 KiB each).
#
#   benchmarks/run-start.sh [rounds] [publish-dir]     (default 5, a fresh scripts/publish.sh build)
#
# Environment: DELAY_MS per-request delay at the provider (default 100). The target is a local folder, so the
# store's own round trips cost next to nothing here.
# Needs: python3, curl, GNU time (/usr/bin/time), dotnet.
set -euo pipefail

ROUNDS=${1:-5}
DELAY_MS=${DELAY_MS:-100}
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUN=$(mktemp -d)
source "$REPO/benchmarks/bench-share.sh"
trap stop_serve_and_remove_run EXIT
publish_replicasync "${2:-}"

# A small Delta table: three commits of one 1 KiB file each.
python3 - "$RUN/table" <<'EOF'
import json, os, sys
root = sys.argv[1]
os.makedirs(os.path.join(root, "_delta_log"))
schema = json.dumps({"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": True, "metadata": {}}]})
for v in range(3):
    name = f"part-{v:05d}.bin"
    with open(os.path.join(root, name), "wb") as f:
        f.write(os.urandom(1024))
    lines = [{"commitInfo": {"timestamp": 1700000000000 + v, "operation": "WRITE"}}]
    if v == 0:
        lines += [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
                  {"metaData": {"id": "00000000-0000-0000-0000-000000000001", "format": {"provider": "parquet", "options": {}},
                                "schemaString": schema, "partitionColumns": [], "configuration": {}, "createdTime": 1700000000000}}]
    lines.append({"add": {"path": name, "partitionValues": {}, "size": 1024, "modificationTime": 1700000000000, "dataChange": True}})
    with open(os.path.join(root, "_delta_log", f"{v:020d}.json"), "w") as f:
        f.write("\n".join(json.dumps(l) for l in lines) + "\n")
EOF

serve_tables '{"faults": {"rules": [{"match": "any", "delayMilliseconds": '"$DELAY_MS"'}]}}' small "$RUN/table" ""

sync_once() { /usr/bin/time -f "%e" -o "$RUN/time" "${BIN[@]}" sync --table "$RUN/bench.share#bench.default.small" --target "$1" >"$RUN/out" 2>&1 \
  || { cat "$RUN/out" >&2; exit 1; }; cat "$RUN/time"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

sync_once "$RUN/warm" >/dev/null
new=() noop=()
for i in $(seq "$ROUNDS"); do
  new+=("$(sync_once "$RUN/replica-$i")")
  noop+=("$(sync_once "$RUN/replica-$i")")
done
echo "provider delay ${DELAY_MS} ms per request, ${ROUNDS} rounds"
echo "no-op run, up-to-date replica: median $(printf '%s\n' "${noop[@]}" | median) s  (${noop[*]})"
echo "new replica, 3 versions:       median $(printf '%s\n' "${new[@]}" | median) s  (${new[*]})"
