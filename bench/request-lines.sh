#!/usr/bin/env bash
# What the request-line escaper (Hosting/RequestLineEscaping, docs/decisions/0009) costs a cached small answer:
# package_show of a demo dataset (served from the catalog read cache) from two servers of the same Release
# (ReadyToRun) publish on the same SQLite data, one with OpenGov:EscapeRawRequestLines=false, one with the default
# (on), measured alternately round by round. Also /healthz, the smallest answer. Records the load average.
# Bounded: ROUNDS (default 3) x 2 paths x 2 servers x DURATION s (default 5) wrk runs, CONNECTIONS (default 32).
# usage: bash bench/request-lines.sh      (needs wrk; 127.0.0.1 only)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}; duration=${DURATION:-5}; conns=${CONNECTIONS:-32}
off_port=5401; on_port=5402
export Logging__LogLevel__Default=Warning
work=$(mktemp -d /tmp/opengov-reqline.XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/OpenGov -p:PublishProfile=ReadyToRun -o "$work/pub" -v quiet -nologo >/dev/null
serve() { # port escape extra-args...
  local port=$1 escape=$2; shift 2
  (cd src/OpenGov && OpenGov__EscapeRawRequestLines=$escape exec dotnet "$work/pub/OpenGov.dll" --data "$work/data" --urls "http://127.0.0.1:$port" "$@") >>"$work/server.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
}
serve "$off_port" false --demo
serve "$on_port" true
id=$(curl -sf "http://127.0.0.1:$off_port/api/3/action/package_list" | python3 -c 'import json,sys;print(json.load(sys.stdin)["result"][0])')
show="/api/3/action/package_show?id=$id"
# the escaper on answers a raw UTF-8 request line; off, Kestrel refuses it
raw() { printf 'GET /api/3/action/package_search?q=コロナ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | curl -s --max-time 5 telnet://127.0.0.1:$1 | head -1; }
echo "raw UTF-8 request line: off -> $(raw $off_port | tr -d '\r'), on -> $(raw $on_port | tr -d '\r')"

run() { # url -> "rps p50 p99"
  wrk -t2 -c"$conns" -d"${duration}s" --latency "$1" >"$work/wrk.txt"
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") $(awk '$1=="50%" {print $2}' "$work/wrk.txt") $(awk '$1=="99%" {print $2}' "$work/wrk.txt")"
}
for port in $off_port $on_port; do wrk -t2 -c"$conns" -d3s "http://127.0.0.1:$port$show" >/dev/null; done # warm up
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| round | path | escaper | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|---|"
for r in $(seq 1 "$rounds"); do
  for path in "$show" /healthz; do
    for port in $off_port $on_port; do
      read -r rps p50 p99 < <(run "http://127.0.0.1:$port$path")
      echo "| $r | ${path%%\?*} | $([ "$port" = "$on_port" ] && echo on || echo off) | $rps | $p50 | $p99 |"
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
