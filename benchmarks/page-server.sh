#!/usr/bin/env bash
# The sharing server paging one snapshot: `replicasync serve` shares a Delta table, a Python client reads its latest
# snapshot in pages of PAGE files (maxFiles, following nextPageToken, delta response format), and the script prints
# the files and pages read, the server's peak RSS and its CPU seconds. Run it on a table with a checkpoint to see what
# the server keeps between pages, e.g. the replica `BOOT_BENCH_KEEP=1 BOOT_BENCH_RSS_ONLY=1 benchmarks/bootstrap-files.sh
# 200000` leaves (its folder is printed as "kept …"; the replica is under BOOT_BENCH_DEST).
#
#   benchmarks/page-server.sh TABLE [publish-dir] [PAGE]      (default: a fresh scripts/publish.sh build, 10000)
#
# Needs: python3, curl, dotnet.
set -euo pipefail

TABLE=$(cd "${1:?usage: benchmarks/page-server.sh TABLE [publish-dir] [PAGE]}" && pwd)
PAGE=${3:-10000}
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUN=$(mktemp -d)
source "$REPO/benchmarks/bench-share.sh"
trap stop_serve_and_remove_run EXIT
publish_replicasync "${2:-}"
# File URLs are never fetched here; they only have to be well formed.
serve_tables '{}' t "$TABLE" "http://127.0.0.1:9/t"

python3 - "$RUN/bench.share" "$PAGE" <<'EOF2'
import json, sys, urllib.request
profile, page = json.load(open(sys.argv[1])), int(sys.argv[2])
url = profile["endpoint"] + "/shares/bench/schemas/default/tables/t/query"
headers = {"Authorization": "Bearer " + profile["bearerToken"], "Content-Type": "application/json",
           "delta-sharing-capabilities": "responseformat=delta"}
token, files, pages = None, 0, 0
while True:
    body = {"maxFiles": page, **({"pageToken": token} if token else {})}
    token = None
    for line in urllib.request.urlopen(urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)):
        action = json.loads(line)
        files += "file" in action
        token = action.get("endStreamAction", {}).get("nextPageToken", token)
    pages += 1
    if not token:
        break
print(f"{files} files in {pages} pages of up to {page}")
EOF2
awk '/^VmHWM/ {printf "server peak RSS %.0f MB, ", $2 / 1024}' "/proc/$SERVE_PID/status"
echo "server CPU $(cpu_seconds "$SERVE_PID") s"
