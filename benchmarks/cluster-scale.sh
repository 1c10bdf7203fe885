#!/usr/bin/env bash
# Cluster throughput against the number of nodes: the same workload (TABLES new replicas of a table of FILES files of
# FILE_KIB KiB each, one version) replicated by 1, 2 and 3 `replicasync run` nodes of one cluster on PostgreSQL,
# each node capped at CAP bytes/s (copy.bandwidthBytesPerSecond: the stand-in for one node's network card).
# The nodes are started first and the clock starts once /status lists all of them alive: then every table is queued
# (POST /tables/{name}/sync; their own schedule never fires) and the cluster spreads the runs over its nodes. Prints,
# per node count, the wall time until every table reached the provider's version (read from /status), the bytes per
# second, the ratio to one node, and how many runs each node did.
#
#   benchmarks/cluster-scale.sh [publish-dir]      (default: a fresh scripts/publish.sh build)
#
# Environment: TABLES (30), FILES (16), FILE_KIB (256), CAP (4000000; 0 = uncapped), RUNS (maxConcurrentRuns per node, 4),
# ROUND_LIMIT (seconds one node count may take before the script gives up and shows the nodes' logs; 600).
# Needs: python3, curl, PostgreSQL under /usr/lib/postgresql (run as the postgres user when root), dotnet.
set -euo pipefail

TABLES=${TABLES:-30} FILES=${FILES:-16} FILE_KIB=${FILE_KIB:-256} CAP=${CAP:-4000000} RUNS=${RUNS:-4}
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUN=$(mktemp -d)
chmod 755 "$RUN"
NODE_PIDS=()
cleanup() {
  for pid in "${NODE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -n ${SERVE_PID:-} ]] && kill "$SERVE_PID" 2>/dev/null || true
  [[ -n ${PG_PID:-} ]] && kill "$PG_PID" 2>/dev/null || true
  sleep 1
  rm -rf "$RUN"
}
trap cleanup EXIT

source "$REPO/benchmarks/bench-share.sh"
publish_replicasync "${1:-}"

# PostgreSQL with its own data and socket folder, as the tests start it.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg=(); [[ $(id -u) -eq 0 ]] && { chown -R postgres:postgres "$RUN"; as_pg=(runuser -u postgres --); }
"${as_pg[@]}" "$PG_BIN/initdb" -D "$RUN/pg" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
PG_PORT=$(free_port)
"${as_pg[@]}" "$PG_BIN/postgres" -D "$RUN/pg" -p "$PG_PORT" -k "$RUN" -c listen_addresses=127.0.0.1 -c fsync=off >"$RUN/pg.log" 2>&1 &
PG_PID=$!
for _ in $(seq 100); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.2; done
chown -R "$(id -u)" "$RUN" 2>/dev/null || true
chown -R postgres:postgres "$RUN/pg" 2>/dev/null || true

# One provider table (one version of FILES random files), shared under TABLES names.
python3 - "$RUN/table" "$FILES" "$FILE_KIB" <<'EOF'
import json, os, sys
root, files, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(os.path.join(root, "_delta_log"))
schema = json.dumps({"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": True, "metadata": {}}]})
lines = [{"commitInfo": {"timestamp": 1700000000000, "operation": "WRITE"}},
         {"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
         {"metaData": {"id": "00000000-0000-0000-0000-000000000001", "format": {"provider": "parquet", "options": {}},
                       "schemaString": schema, "partitionColumns": [], "configuration": {}, "createdTime": 1700000000000}}]
for i in range(files):
    name = f"part-{i:05d}.bin"
    with open(os.path.join(root, name), "wb") as f:
        f.write(os.urandom(kib * 1024))
    lines.append({"add": {"path": name, "partitionValues": {}, "size": kib * 1024, "modificationTime": 1700000000000, "dataChange": True}})
with open(os.path.join(root, "_delta_log", f"{0:020d}.json"), "w") as f:
    f.write("\n".join(json.dumps(l) for l in lines) + "\n")
EOF
specs=()
for t in $(seq -f 't%02g' 1 "$TABLES"); do specs+=("$t" "$RUN/table" ""); done
serve_tables '{}' "${specs[@]}"

# node_config N DB REPLICAS: the daemon configuration every node of round N shares (its listen address is overridden per node).
node_config() {
  python3 - "$RUN/round$1.json" "$RUN/bench.share" "$2" "$3" "$TABLES" "$CAP" "$RUNS" <<'EOF'
import json, sys
out, profile, db, replicas, tables, cap, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
config = {"maxConcurrentRuns": runs, "startupJitterSeconds": 0, "shutdownGraceSeconds": 1,
          "cluster": {"postgres": db, "checkinIntervalSeconds": 5},
          "copy": {"bandwidthBytesPerSecond": cap} if cap > 0 else {},
          "tables": {f"t{i:02d}": {"source": f"{profile}#bench.default.t{i:02d}", "target": f"{replicas}/t{i:02d}",
                                   "cron": "0 0 0 1 1 ? 2099", "from": "latest"} for i in range(1, tables + 1)}}
json.dump(config, open(out, "w"))
EOF
}

# done_tables PORT: how many tables /status shows at the provider's version with a finished run.
done_tables() {
  curl -sf "http://127.0.0.1:$1/status" | python3 -c 'import json,sys; t=json.load(sys.stdin)["tables"]; print(sum(1 for x in t if x.get("replicaVersion") == 0 and (x.get("lastRun") or {}).get("outcome") == "succeeded"))' 2>/dev/null || echo 0
}

# alive_nodes PORT: how many nodes /status lists as alive.
alive_nodes() {
  curl -sf "http://127.0.0.1:$1/status" | python3 -c 'import json,sys; print(sum(1 for n in json.load(sys.stdin)["nodes"] if n["state"] == "alive"))' 2>/dev/null || echo 0
}

bytes=$((TABLES * FILES * FILE_KIB * 1024))
echo "workload: $TABLES tables x $FILES files x $FILE_KIB KiB = $((bytes / 1048576)) MiB; cap per node: ${CAP} B/s; $RUNS runs per node; $(nproc) cores"
base=""
for nodes in 1 2 3; do
  db="cluster$nodes"
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $db" >/dev/null
  node_config "$nodes" "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$db" "$RUN/replicas$nodes"
  ports=()
  for n in $(seq "$nodes"); do
    port=$(free_port); ports+=("$port")
    REPLICASYNC__listen="http://127.0.0.1:$port" "${BIN[@]}" run --config "$RUN/round$nodes.json" >"$RUN/node$nodes-$n.log" 2>&1 &
    NODE_PIDS+=($!)
  done
  until [[ $(alive_nodes "${ports[0]}") -ge $nodes ]]; do sleep 0.5; done
  start=$(python3 -c 'import time; print(time.time())')
  for t in $(seq -f 't%02g' 1 "$TABLES"); do curl -sf -X POST "http://127.0.0.1:${ports[$(( 10#${t#t} % nodes ))]}/tables/$t/sync" >/dev/null; done
  deadline=$((SECONDS + ${ROUND_LIMIT:-600}))
  until [[ $(done_tables "${ports[0]}") -ge $TABLES ]]; do
    if (( SECONDS > deadline )); then
      echo "$nodes node(s): not done within ${ROUND_LIMIT:-600} s ($(done_tables "${ports[0]}") of $TABLES tables); node logs:" >&2
      tail -n 20 "$RUN"/node$nodes-*.log >&2
      exit 1
    fi
    sleep 0.25
  done
  seconds=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
  rate=$(python3 -c "print(f'{$bytes / $seconds / 1e6:.2f}')")
  [[ -z $base ]] && base=$rate
  per_node=$(for n in $(seq "$nodes"); do grep -c 'run succeeded:' "$RUN/node$nodes-$n.log" || true; done | paste -sd/)
  echo "$nodes node(s): ${seconds} s, ${rate} MB/s, x$(python3 -c "print(f'{$rate / $base:.2f}')") of one node; runs per node ${per_node}"
  for pid in "${NODE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${NODE_PIDS[@]}" 2>/dev/null || true
  NODE_PIDS=()
done
