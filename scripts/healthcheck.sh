#!/usr/bin/env bash
# Container health check: GET /healthz with bash alone (the runtime image has no curl). Exit 0 only on HTTP 200.
# HEALTHCHECK_PORT defaults to 8080, the port the image listens on.
set -uo pipefail
port=${HEALTHCHECK_PORT:-8080}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
read -r -t 5 status_line <&3 || exit 1
[[ "$status_line" == HTTP/1.[01]\ 200* ]]
