#!/usr/bin/env bash
# Whole-process copy comparison over a WAN-like path, the way the real job reads object stores across regions:
# files served over HTTPS (a self-signed certificate every tool trusts) by benchmarks/WanFileServer, which holds each
# request's first byte back by a round trip plus a 20-50 ms store latency and each new connection by its handshakes'
# round trips, in a network namespace whose egress a tbf qdisc caps. replicasync (through a SharingServer whose file
# URLs point at that server), rclone and curl copy each set to /dev/shm in the same run, interleaved round by round.
#
#   benchmarks/compare-wan.sh [rounds] [publish-dir]   (default 1 round, a fresh scripts/publish.sh build; needs root
#                                                     for the namespace, rclone, curl, openssl)
#
# Environment: WAN_RATE       the cap (tbf rate, default 1gbit)
#              WAN_RTT_MS     the round trip (default 40)
#              WAN_FIRST_BYTE_MS  the store's first-byte latency range (default 20-50)
#              WAN_SETS       sets to run (default "small large tiny")
#              WAN_SRC        where the generated sets live (default: a folder under the system temp dir, reused)
set -euo pipefail

ROUNDS=${1:-1}
RATE=${WAN_RATE:-1gbit}
RTT=${WAN_RTT_MS:-40}
FIRST_BYTE=${WAN_FIRST_BYTE_MS:-20-50}
SETS=${WAN_SETS:-small large tiny}
REPO=$(cd "$(dirname "$0")/.." && pwd)
SRC=${WAN_SRC:-${TMPDIR:-/tmp}/replicasync-wan-bench}
RUN=$(mktemp -d)
DEST=/dev/shm/replicasync-wan-dest-$$
NS=rswan$$
VETH=rw$$
NET=10.231.$(( $$ % 250 ))
for tool in rclone curl openssl ip tc /usr/bin/time dotnet; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

cleanup() {
  [[ -n ${SERVE_PID:-} ]] && kill "$SERVE_PID" 2>/dev/null || true
  [[ -n ${FILES_PID:-} ]] && kill "$FILES_PID" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  ip link del "${VETH}a" 2>/dev/null || true
  rm -rf "$DEST" "$RUN"
}
trap cleanup EXIT

source "$REPO/benchmarks/bench-share.sh"
publish_replicasync "${2:-}"
dotnet build "$REPO/benchmarks/WanFileServer" -c Release -o "$RUN/wan" >/dev/null

python3 "$REPO/benchmarks/make-sets.py" "$SRC" small=1000x1048576 large=8x536870912 tiny=100000x1024

# --- the path: a namespace behind a veth pair, its egress (server -> clients) capped by tbf --------------------
ip netns add "$NS"
ip link add "${VETH}a" type veth peer name "${VETH}b"
ip link set "${VETH}b" netns "$NS"
ip addr add "$NET.1/30" dev "${VETH}a"
ip link set "${VETH}a" up
ip netns exec "$NS" ip addr add "$NET.2/30" dev "${VETH}b"
ip netns exec "$NS" ip link set "${VETH}b" up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" tc qdisc add dev "${VETH}b" root tbf rate "$RATE" burst 1mb latency 50ms

# --- HTTPS: a self-signed certificate for the server's address, added to the CA bundle every tool reads -------
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$RUN/key.pem" -out "$RUN/cert.pem" -days 2 -subj "/CN=wan-bench" \
  -addext "subjectAltName=IP:$NET.2" 2>/dev/null
cat /etc/ssl/certs/ca-certificates.crt "$RUN/cert.pem" >"$RUN/ca.pem"
export SSL_CERT_FILE=$RUN/ca.pem   # .NET and rclone (Go) read it; curl gets --cacert
BASE=https://$NET.2:8443
ip netns exec "$NS" dotnet "$RUN/wan/WanFileServer.dll" --root "$SRC" --listen "$NET.2:8443" --cert "$RUN/cert.pem" --key "$RUN/key.pem" \
  --rtt-ms "$RTT" --first-byte-ms "$FIRST_BYTE" >"$RUN/files.log" 2>&1 &
FILES_PID=$!
for _ in $(seq 50); do curl -sf --cacert "$RUN/ca.pem" "$BASE/small/_delta_log/" >/dev/null && break; sleep 0.2; done

tables=()
for set in $SETS; do tables+=("$set" "$SRC/$set" "$BASE/$set"); done
serve_tables '{}' "${tables[@]}"

timed() { /usr/bin/time -f "%e %M" -o "$RUN/time" "$@" >"$RUN/out" 2>&1 || { tail -5 "$RUN/out" >&2; exit 1; }; cat "$RUN/time"; }

# Tools: replicasync with its defaults (and with 8 files at a time); rclone with compare-copy.sh's flags at N transfers (rclone-N) or its
# defaults; N curl processes over kept-alive connections (curl-N).
copy_with() {
  # Prints "seconds maxrss_kb" only once the copy's bytes are counted and complete, so the caller's read fails (and
  # the script stops) on an incomplete copy.
  local tool=$1 set=$2 dest=$DEST/$1 result
  rm -rf "$dest"; mkdir -p "$dest"
  case $tool in
    replicasync) result=$(timed "${BIN[@]}" sync --table "$RUN/bench.share#bench.default.$set" --target "$dest") ;;
    # The former default: a fixed 8 files in flight.
    replicasync-8) result=$(timed "${BIN[@]}" sync --table "$RUN/bench.share#bench.default.$set" --target "$dest" --max-files 8) ;;
    rclone-defaults) result=$(timed rclone copy --http-url "$BASE/$set/" :http: "$dest" --exclude "_delta_log/**" -q) ;;
    rclone-*) local n=${tool#rclone-}
              result=$(timed rclone copy --http-url "$BASE/$set/" :http: "$dest" --exclude "_delta_log/**" --transfers "$n" --checkers "$((2 * n))" \
                --multi-thread-cutoff 16M --multi-thread-streams 4 --buffer-size 16M --http-no-head --no-check-dest --no-traverse \
                --ignore-checksum -q) ;;
    curl-*) local n=${tool#curl-}
            ( cd "$SRC/$set" && ls | grep '^part-' ) | sed "s|^|$BASE/$set/|" >"$RUN/list"
            local per=$(( ($(wc -l <"$RUN/list") + n - 1) / n ))
            result=$(cd "$dest" && timed xargs -P "$n" -n "$per" curl -sf --cacert "$RUN/ca.pem" --remote-name-all <"$RUN/list") ;;
  esac
  local bytes; bytes=$(find "$dest" -name 'part-*' -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  [[ $bytes == "$(find "$SRC/$set" -name 'part-*' -printf '%s\n' | awk '{s+=$1} END {print s}')" ]] \
    || { echo "$tool copied $bytes bytes of $set: incomplete" >&2; exit 1; }
  rm -rf "$dest"
  echo "$result"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "path: HTTPS, round trip $RTT ms, first byte +$FIRST_BYTE ms, cap $RATE (tbf), $ROUNDS round(s)"
printf '%-6s %-16s %10s %12s %s\n' set tool "MB/s" "peak RSS MB" "rounds (s)"
for set in $SETS; do
  # The tiny set is latency-bound: at 8 files in flight curl and rclone would take over 20 minutes, so they run wide.
  if [[ $set == tiny ]]; then tools="replicasync rclone-64 curl-64"; else tools="replicasync replicasync-8 rclone-8 rclone-defaults curl-8"; fi
  bytes=$(find "$SRC/$set" -name 'part-*' -printf '%s\n' | awk '{s+=$1} END {print s}')
  declare -A secs=() peaks=()
  for _ in $(seq "$ROUNDS"); do
    for tool in $tools; do
      read -r s m < <(copy_with "$tool" "$set") || { echo "$tool failed on $set" >&2; exit 1; }
      secs[$tool]="${secs[$tool]:-} $s"; peaks[$tool]="${peaks[$tool]:-} $m"
    done
  done
  for tool in $tools; do
    med=$(printf '%s\n' ${secs[$tool]} | median)
    rss=$(printf '%s\n' ${peaks[$tool]} | sort -n | tail -1 | awk '{printf "%.0f", $1 / 1024}')
    printf '%-6s %-16s %10.0f %12s %s\n' "$set" "$tool" "$(awk -v b="$bytes" -v s="$med" 'BEGIN {print b / s / 1e6}')" "$rss" "${secs[$tool]# }"
  done
  unset secs peaks
done
