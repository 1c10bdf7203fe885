#!/usr/bin/env bash
# Snapshot bootstrap of many tiny files: `replicasync sync --from latest` against `xargs -P 8 curl` over the same URLs,
# both writing to the same disk; prints seconds and peak RSS of each, the ratios, and the CPU seconds the sync and the
# sharing server spent on the bootstrap. The provider table has FILES adds of 64 bytes in 100 partitions (one commit),
# shared by `replicasync serve`; its file URLs point at nginx, which answers every path with one 64-byte file (the bytes
# are not what is measured).
#
#   benchmarks/bootstrap-files.sh FILES [rounds]      e.g. 200000 (default rounds: 1)
#
# Environment: BOOT_BENCH_RSS_ONLY=1  replicasync only (no curl), for the peak RSS of very large snapshots
#              BOOT_BENCH_STRACE=1    also run replicasync under `strace -f -c` and print the system calls per file
#              BOOT_BENCH_DEST        where the copies go (default: a folder under the system temp dir, i.e. disk)
#              BOOT_BENCH_BIN         a published replicasync folder to use instead of publishing one
#              BOOT_BENCH_ARGS        extra `sync` arguments (e.g. "--page-size 5000")
#              BOOT_BENCH_SETTLE      seconds to wait after deleting a run's copies before the next run (default 35)
#              BOOT_BENCH_KEEP=1      keep the run's folder (table, server log) for a look afterwards
# Needs: nginx (apt-get install nginx-light), curl, GNU time (/usr/bin/time), python3, dotnet; strace for BOOT_BENCH_STRACE.
set -euo pipefail

FILES=${1:?usage: benchmarks/bootstrap-files.sh FILES [rounds]}
ROUNDS=${2:-1}
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUN=$(mktemp -d)
DEST=${BOOT_BENCH_DEST:-${TMPDIR:-/tmp}}/replicasync-boot-dest-$$
SRC=$RUN/table
for tool in nginx curl python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (nginx: apt-get install -y nginx-light)" >&2; exit 1; }
done

cleanup() {
  [[ -f $RUN/nginx.pid ]] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
  [[ -n ${SERVE_PID:-} ]] && kill "$SERVE_PID" 2>/dev/null || true
  [[ -n ${BOOT_BENCH_KEEP:-} ]] && { echo "kept $RUN" >&2; return; }
  rm -rf "$DEST" "$RUN"
}
trap cleanup EXIT

source "$REPO/benchmarks/bench-share.sh"
publish_replicasync "${BOOT_BENCH_BIN:-}"

HTTP_PORT=$(free_port)
# --- the provider table: one commit of FILES adds, and the URL list curl gets ----------------------------------
python3 - "$SRC" "$FILES" "http://127.0.0.1:$HTTP_PORT/t" "$RUN/urls" <<'EOF2'
import json, os, sys
root, count, base, urls = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
os.makedirs(os.path.join(root, "_delta_log"))
with open(os.path.join(root, "blob.bin"), "wb") as f:
    f.write(bytes(range(64)))
schema = json.dumps({"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": True, "metadata": {}},
                                                  {"name": "part", "type": "string", "nullable": True, "metadata": {}}]})
with open(os.path.join(root, "_delta_log", "00000000000000000000.json"), "w") as log, open(urls, "w") as u:
    log.write(json.dumps({"commitInfo": {"timestamp": 1700000000000, "operation": "WRITE"}}) + "\n")
    log.write(json.dumps({"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}) + "\n")
    log.write(json.dumps({"metaData": {"id": "00000000-0000-0000-0000-000000000013", "format": {"provider": "parquet", "options": {}},
                                       "schemaString": schema, "partitionColumns": ["part"], "configuration": {},
                                       "createdTime": 1700000000000}}) + "\n")
    for i in range(count):
        part = f"p{i % 100:02d}"
        path = f"part={part}/f-{i:07d}.bin"
        log.write(json.dumps({"add": {"path": path, "partitionValues": {"part": part}, "size": 64,
                                      "modificationTime": 1700000000000, "dataChange": True,
                                      "stats": json.dumps({"numRecords": 1, "minValues": {"id": i}, "maxValues": {"id": i}, "nullCount": {"id": 0}})}}) + "\n")
        u.write(f"{base}/{path}\n")
EOF2
echo "generated a table of $FILES files" >&2

start_nginx "$SRC" "$HTTP_PORT" 1 "location / { rewrite ^ /blob.bin break; }"
serve_tables '{}' t "$SRC" "http://127.0.0.1:$HTTP_PORT/t"

# One timed run into a fresh folder: prints "seconds maxrss_kb cpu_seconds user_seconds kernel_seconds". ext4 scans the inodes freed in the last
# 30 s before it hands one out again (recently_deleted), so creating 200,000 files right after deleting the previous
# run's 200,000 cost several times the CPU (77% of the sync's in the kernel, run to run from 22 s to 67 s for 100,000
# files): every run first waits BOOT_BENCH_SETTLE seconds (default 35), which also covers a previous script's deletion.
timed() {
  rm -rf "$DEST"; sync; sleep "${BOOT_BENCH_SETTLE:-35}"
  mkdir -p "$DEST"
  /usr/bin/time -f "%e %M %U %S" -o "$RUN/time" "$@" >"$RUN/out" 2>&1 || { tail -20 "$RUN/out" >&2; exit 1; }
  awk '{printf "%s %s %.1f %.1f %.1f\n", $1, $2, $3 + $4, $3, $4}' "$RUN/time"
}
sync_cmd=("${BIN[@]}" sync --table "$RUN/bench.share#bench.default.t" --target "$DEST/replica" --from latest ${BOOT_BENCH_ARGS:-})
curl_cmd=(bash -c "cd '$DEST' && xargs -P 8 -n $(( (FILES + 7) / 8 )) curl -sf --remote-name-all < '$RUN/urls'")

# Every timed run deletes the previous run's files first; the first run would be the only one into a file system with
# nothing just deleted (it ran up to 2.5x less CPU than the same build's later runs), so it gets as many to delete.
mkdir -p "$DEST" && (cd "$DEST" && seq -f 'f%.0f' "$FILES" | xargs touch)

for round in $(seq "$ROUNDS"); do
  server_before=$(cpu_seconds "$SERVE_PID")
  read -r rs_s rs_kb rs_cpu rs_user rs_sys < <(timed "${sync_cmd[@]}")
  server_cpu=$(awk -v a="$server_before" -v b="$(cpu_seconds "$SERVE_PID")" 'BEGIN {printf "%.1f", b - a}')
  copied=$(find "$DEST/replica" -type f -not -path '*/_delta_log/*' | wc -l)
  [[ $copied == "$FILES" ]] || { echo "replicasync copied $copied of $FILES files" >&2; exit 1; }
  server_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVE_PID/status")
  line="round $round: replicasync ${rs_s} s, $((rs_kb / 1024)) MB peak RSS (CPU: sync ${rs_cpu} s = ${rs_user} user + ${rs_sys} kernel, server ${server_cpu} s; server peak RSS so far $((server_kb / 1024)) MB)"
  if [[ -z ${BOOT_BENCH_RSS_ONLY:-} ]]; then
    read -r curl_s curl_kb curl_cpu curl_user curl_sys < <(timed "${curl_cmd[@]}")
    line+=" | curl -P 8 ${curl_s} s, $((curl_kb / 1024)) MB (CPU ${curl_cpu} s = ${curl_user} user + ${curl_sys} kernel) | time ratio $(python3 -c "print(f'{$rs_s / $curl_s:.2f}')")"
  fi
  echo "$line"
done

if [[ -n ${BOOT_BENCH_STRACE:-} ]]; then
  command -v strace >/dev/null || { echo "missing: strace (apt-get install -y strace)" >&2; exit 1; }
  rm -rf "$DEST"; mkdir -p "$DEST"
  strace -f -c -o "$RUN/strace" "${sync_cmd[@]}" >/dev/null 2>&1
  python3 - "$RUN/strace" "$FILES" <<'EOF2'
import sys
files = int(sys.argv[2])
print(f"system calls per file (strace -f -c, {files} files):")
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 5 and parts[0].replace('.', '').isdigit() and parts[-1] not in ("total",):
        calls, name = int(parts[3]), parts[-1]
        if calls >= files // 4:
            print(f"  {name:16} {calls / files:6.2f}")
EOF2
fi
