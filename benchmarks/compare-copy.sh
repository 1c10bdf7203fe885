#!/usr/bin/env bash
# Whole-process copy comparison: one HTTP server (nginx, or python's http.server) serves one file set; replicasync
# (through a SharingServer whose file URLs point at that server), rclone (with the fastest flags found, and with
# its defaults) and `xargs -P 8 curl` each copy it to a local folder, several rounds.
# Prints MB/s (median of the rounds), peak RSS and the ratios, for 1,000 x 1 MiB and 8 x 512 MiB, then the peak
# RSS of replicasync copying one 4 GiB file. Each round also times replicasync on a table of one 1 MiB file: its
# fixed cost (process start, round trips, the first checkpoint), which the small set's whole-run ratio includes
# and its marginal ratio (the other 999 files' rate against curl's whole run) leaves out.
#
#   benchmarks/compare-copy.sh [rounds] [publish-dir]   (default 3, a fresh scripts/publish.sh build)
#
# Environment: COPY_BENCH_SERVER nginx (default: sendfile, Range, keep-alive) or python (python3 -m http.server,
#                              the server of the issue's anchor figures: no Range, a connection per file)
#              COPY_BENCH_SRC  where the generated files live (default: a folder under the system temp dir, reused)
#              COPY_BENCH_DEST where the copies go (default: /dev/shm, so the page cache, not the disk, is the limit
#                              for every tool; replicasync fsyncs each file, the others do not)
# Needs: nginx (apt-get install nginx-light), rclone, curl, GNU time (/usr/bin/time), python3, dotnet.
set -euo pipefail

ROUNDS=${1:-3}
SERVER=${COPY_BENCH_SERVER:-nginx}
[[ $SERVER == nginx || $SERVER == python ]] || { echo "COPY_BENCH_SERVER must be nginx or python" >&2; exit 1; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
SRC=${COPY_BENCH_SRC:-${TMPDIR:-/tmp}/replicasync-copy-bench}
DEST=${COPY_BENCH_DEST:-/dev/shm}/replicasync-copy-dest-$$
RUN=$(mktemp -d)
for tool in nginx rclone curl python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (nginx: apt-get install -y nginx-light)" >&2; exit 1; }
done

cleanup() {
  [[ -f $RUN/nginx.pid ]] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
  [[ -n ${HTTP_PID:-} ]] && kill "$HTTP_PID" 2>/dev/null || true
  [[ -n ${SERVE_PID:-} ]] && kill "$SERVE_PID" 2>/dev/null || true
  rm -rf "$DEST" "$RUN"
}
trap cleanup EXIT

source "$REPO/benchmarks/bench-share.sh"
# Published exactly as it ships: scripts/publish.sh, which the Dockerfile runs too (one native executable).
publish_replicasync "${2:-}"

# --- file sets: random data, each set a Delta table (one commit adding every file) -------------------------
python3 "$REPO/benchmarks/make-sets.py" "$SRC" small=1000x1048576 large=8x536870912 huge=1x4294967296 one=1x1048576

# --- servers ---------------------------------------------------------------------------------------------------
HTTP_PORT=$(free_port)
if [[ $SERVER == python ]]; then
  # The server of the issue's anchor figures: no Range (replicasync then reads each file as one stream) and
  # HTTP/1.0, so every file is a new connection for every tool.
  python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$SRC" >"$RUN/python.log" 2>&1 &
  HTTP_PID=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$HTTP_PORT/" >/dev/null && break; sleep 0.2; done
else
start_nginx "$SRC" "$HTTP_PORT"
fi

# File URLs point at the HTTP server, so every tool reads the same bytes from it.
tables=()
for set in small large huge one; do tables+=("$set" "$SRC/$set" "http://127.0.0.1:$HTTP_PORT/$set"); done
serve_tables '{}' "${tables[@]}"

# --- one timed copy: prints "seconds maxrss_kb" -------------------------------------------------------------
timed() { /usr/bin/time -f "%e %M" -o "$RUN/time" "$@" >"$RUN/out" 2>&1 || { cat "$RUN/out" >&2; exit 1; }; cat "$RUN/time"; }

copy_with() {
  # Prints "seconds maxrss_kb" only once the copy's bytes are counted and complete, so the caller's read fails (and
  # the script stops) on an incomplete copy. A folder per tool and set.
  local tool=$1 set=$2 dest=$DEST/$1-$2 result
  rm -rf "$dest"; mkdir -p "$dest"; sync
  case $tool in
    replicasync) result=$(timed "${BIN[@]}" sync --table "$RUN/bench.share#bench.default.$set" --target "$dest") ;;
    rclone) result=$(timed rclone copy --http-url "http://127.0.0.1:$HTTP_PORT/$set/" :http: "$dest" --exclude "_delta_log/**" \
              --transfers 8 --checkers 16 --multi-thread-cutoff 16M --multi-thread-streams 4 --buffer-size 16M \
              --http-no-head --no-check-dest --no-traverse --ignore-checksum -q) ;;
    # rclone as most scripts call it: its defaults (4 transfers, a HEAD per file, 4 ranged streams from 256 MiB).
    # python's server ignores Range, which fails rclone's ranged streams, so there they are turned off.
    rclone-defaults) result=$(timed rclone copy --http-url "http://127.0.0.1:$HTTP_PORT/$set/" :http: "$dest" --exclude "_delta_log/**" -q \
                       $([[ $SERVER == python ]] && echo --multi-thread-streams 0)) ;;
    # Eight curl processes, each fetching its share of the URLs over one kept-alive connection.
    curl) ( cd "$SRC/$set" && ls part-* ) | sed "s|^|http://127.0.0.1:$HTTP_PORT/$set/|" >"$RUN/list"
          local per=$(( ($(wc -l <"$RUN/list") + 7) / 8 ))
          result=$(cd "$dest" && timed xargs -P 8 -n "$per" curl -sf --remote-name-all <"$RUN/list") ;;
  esac
  local bytes; bytes=$(find "$dest" -name 'part-*' -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  [[ $bytes == "$(find "$SRC/$set" -name 'part-*' -printf '%s\n' | awk '{s+=$1} END {print s}')" ]] \
    || { echo "$tool copied $bytes bytes of $set: incomplete" >&2; exit 1; }
  echo "$result"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '\n%-6s %-15s %10s %12s %s\n' set tool "MB/s" "peak RSS MB" "rounds (s)"
for set in small large; do
  bytes=$(find "$SRC/$set" -name 'part-*' -printf '%s\n' | awk '{s+=$1} END {print s}')
  declare -A secs=() peaks=() rate=() rss=()
  # Rounds interleave the tools, so load from elsewhere on the machine falls on all of them alike.
  for _ in $(seq "$ROUNDS"); do
    for tool in replicasync rclone rclone-defaults curl; do
      read -r s m < <(copy_with "$tool" "$set") || { echo "$tool failed on $set" >&2; exit 1; }
      secs[$tool]="${secs[$tool]:-} $s"; peaks[$tool]="${peaks[$tool]:-} $m"
    done
    if [[ $set == small ]]; then
      read -r s m < <(copy_with replicasync one) || { echo "replicasync failed on one" >&2; exit 1; }
      one_secs="${one_secs:-} $s"
    fi
  done
  for tool in replicasync rclone rclone-defaults curl; do
    med=$(printf '%s\n' ${secs[$tool]} | median)
    rate[$tool]=$(awk -v b="$bytes" -v s="$med" 'BEGIN {printf "%.0f", b / s / 1e6}')
    rss[$tool]=$(printf '%s\n' ${peaks[$tool]} | sort -n | tail -1 | awk '{printf "%.0f", $1 / 1024}')
    printf '%-6s %-15s %10s %12s %s\n' "$set" "$tool" "${rate[$tool]}" "${rss[$tool]}" "${secs[$tool]# }"
  done
  awk -v r="${rate[replicasync]}" -v c="${rate[rclone]}" -v d="${rate[rclone-defaults]}" -v u="${rate[curl]}" -v s="$set" \
    'BEGIN {printf "%-6s ratios: replicasync/rclone %.2f (target >= 2; %.2f against rclone with its defaults), replicasync/curl %.2f (target >= 0.9)\n", s, r / c, r / d, r / u}'
  if [[ $set == small ]]; then
    one=$(printf '%s\n' $one_secs | median); whole=$(printf '%s\n' ${secs[replicasync]} | median); curl_s=$(printf '%s\n' ${secs[curl]} | median)
    files=$(find "$SRC/small" -name 'part-*' | wc -l)
    awk -v one="$one" -v w="$whole" -v c="$curl_s" -v r="$one_secs" -v n="$files" \
      'BEGIN {printf "small  replicasync fixed cost (a table of one 1 MiB file): %.2f s (rounds:%s); the other %d files in %.2f s: %.2f x curl'"'"'s whole run\n", one, r, n - 1, w - one, c * (n - 1) / n / (w - one)}'
  fi
  rm -rf "${DEST:?}"/*
done

read -r s m < <(copy_with replicasync huge)
awk -v s="$s" -v m="$m" 'BEGIN {printf "\nhuge   replicasync, one 4 GiB file: %.1f s (%.0f MB/s), peak RSS %.0f MB (target <= 300)\n", s, 4294967296 / s / 1e6, m / 1024}'
