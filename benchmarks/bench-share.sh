# Sourced by the whole-process benchmarks (compare-copy.sh, bootstrap-files.sh, catch-up.sh, run-start.sh): a published replicasync and a
# `replicasync serve` that shares Delta tables as bench.default.<name>, reached through the profile $RUN/bench.share.
# The caller sets REPO and RUN, and kills SERVE_PID on exit.

# User + system CPU seconds a process has used so far (e.g. $SERVE_PID).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# The EXIT trap of a script whose only leftovers are the server (SERVE_PID) and its RUN folder.
stop_serve_and_remove_run() {
  [[ -n ${SERVE_PID:-} ]] && kill "$SERVE_PID" 2>/dev/null || true
  rm -rf "$RUN"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# publish_replicasync [DIR]: BIN runs the replicasync executable published in DIR, else a fresh scripts/publish.sh
# build in $RUN/bin. (An older, framework-dependent DIR holds replicasync.dll instead, run by dotnet.)
publish_replicasync() {
  local dir=${1:-}
  if [[ -z $dir ]]; then
    echo "publishing replicasync (scripts/publish.sh)..." >&2
    bash "$REPO/scripts/publish.sh" "$RUN/bin" >/dev/null
    dir=$RUN/bin
  fi
  if [[ -f $dir/replicasync.dll ]]; then BIN=(dotnet "$dir/replicasync.dll"); else BIN=("$dir/replicasync"); fi
}

# serve_tables SERVER_JSON NAME LOCATION FILE_URL_BASE [NAME LOCATION FILE_URL_BASE]...: writes $RUN/sharing.json with
# the tables (an empty FILE_URL_BASE: files are served by replicasync itself) and SERVER_JSON's keys (e.g. faults),
# starts `replicasync serve` on a free port (SERVE_PID), writes $RUN/bench.share and waits until the server answers.
serve_tables() {
  python3 - "$RUN/sharing.json" "$@" <<'EOF'
import json, sys
out, server, specs = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
tables = [{"name": n, "location": loc, **({"fileUrlBase": base} if base else {})} for n, loc, base in zip(specs[::3], specs[1::3], specs[2::3])]
json.dump({"bearerTokens": ["bench-token"], "pathPrefix": "/delta-sharing", "urlLifetimeSeconds": 3600,
           "shares": [{"name": "bench", "schemas": [{"name": "default", "tables": tables}]}], **server}, open(out, "w"))
EOF
  local port; port=$(free_port)
  "${BIN[@]}" serve --config "$RUN/sharing.json" --urls "http://127.0.0.1:$port" >"$RUN/serve.log" 2>&1 &
  SERVE_PID=$!
  printf '{"shareCredentialsVersion":1,"endpoint":"http://127.0.0.1:%s/delta-sharing","bearerToken":"bench-token"}\n' "$port" >"$RUN/bench.share"
  for _ in $(seq 50); do curl -sf -H "Authorization: Bearer bench-token" "http://127.0.0.1:$port/delta-sharing/shares" >/dev/null && break; sleep 0.2; done
}

# start_nginx ROOT PORT [WORKERS] [EXTRA]: nginx on 127.0.0.1:PORT serving the files under ROOT (sendfile, long
# keep-alive), its pid in $RUN/nginx.pid; EXTRA is more configuration for the server block (e.g. a location). The
# caller kills it on exit.
start_nginx() {
  cat >"$RUN/nginx.conf" <<EOF
worker_processes ${3:-auto};
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log;
daemon on;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000000;
  client_body_temp_path $RUN;
  proxy_temp_path $RUN;
  fastcgi_temp_path $RUN;
  uwsgi_temp_path $RUN;
  scgi_temp_path $RUN;
  server {
    listen 127.0.0.1:$2;
    root $1;
    autoindex on;
    ${4:-}
  }
}
EOF
  nginx -c "$RUN/nginx.conf" -p "$RUN"
}
