#!/usr/bin/env bash
# Catalog load benchmark on 127.0.0.1: 10,000 generated datasets, package_search for a 2-character Japanese word
# and package_show, each against nginx serving a static file of the same bytes in the same run.
# Needs wrk and nginx (Debian packages). Bounded: each wrk run lasts DURATION seconds (default 10).
# usage: bench/catalog.sh [COUNT]   (results printed as a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
duration=${DURATION:-10}
conns=${CONNECTIONS:-32}
work=$(mktemp -d /tmp/opengov-bench.XXXX)
port=5390; nginx_port=5391
export Logging__LogLevel__Default=Warning

dotnet build -c Release -v quiet -nologo bench/OpenGov.CatalogBench >/dev/null  # also builds src/OpenGov (project reference)
# the server runs from the ReadyToRun publish (docs/decisions/0005-start-time.md), as a deployment would
dotnet publish src/OpenGov -p:PublishProfile=ReadyToRun -v quiet -nologo >/dev/null
dotnet bench/OpenGov.CatalogBench/bin/Release/net10.0/OpenGov.CatalogBench.dll --data "$work/data" --count "$count" | tail -1

start_server() {
  local t0; t0=$(date +%s.%N)
  (cd src/OpenGov && exec dotnet bin/publish/OpenGov.dll --data "$work/data" --urls "http://127.0.0.1:$port") >"$work/server.log" 2>&1 &
  echo $! >"$work/server.pid"
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.02; done
  echo "$(date +%s.%N) - $t0" | bc
}
startup=$(start_server); server=$(cat "$work/server.pid")
q=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("人口"))')
search="/api/3/action/package_search?q=$q"
show="/api/3/action/package_show?id=bench-000123"
curl -sf "http://127.0.0.1:$port$search" >"$work/search.json"
curl -sf "http://127.0.0.1:$port$show" >"$work/show.json"
hits=$(python3 -c "import json;print(json.load(open('$work/search.json'))['result']['count'])")

mkdir -p "$work/www"; cp "$work/search.json" "$work/www/search.json"; cp "$work/show.json" "$work/www/show.json"
cat >"$work/nginx.conf" <<NGINX
worker_processes 2; daemon off; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000;
  types { application/json json; }
  server { listen 127.0.0.1:$nginx_port; root $work/www; } }
NGINX
nginx -c "$work/nginx.conf" -p "$work" & nginx_pid=$!
sleep 0.5

run() { # url -> "rps p50ms p99ms"
  wrk -t2 -c"$conns" -d"${duration}s" --latency "$1" >"$work/wrk.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
  echo "$rps $p50 $p99"
}
# warm up
wrk -t2 -c"$conns" -d3s "http://127.0.0.1:$port$search" >/dev/null; wrk -t2 -c"$conns" -d3s "http://127.0.0.1:$port$show" >/dev/null
read -r s_rps s_p50 s_p99 < <(run "http://127.0.0.1:$port$search")
read -r n1_rps n1_p50 n1_p99 < <(run "http://127.0.0.1:$nginx_port/search.json")
read -r p_rps p_p50 p_p99 < <(run "http://127.0.0.1:$port$show")
read -r n2_rps n2_p50 n2_p99 < <(run "http://127.0.0.1:$nginx_port/show.json")
rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$server/status)
kill $server $nginx_pid; wait $server 2>/dev/null || true
restart=$(start_server); server=$(cat "$work/server.pid"); kill $server; wait $server 2>/dev/null || true

ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
cat <<MD
| what ($count datasets, wrk -t2 -c$conns -d${duration}s) | req/s | p50 | p99 | bytes | nginx req/s (same bytes) | ratio to nginx |
|---|---|---|---|---|---|---|
| package_search q=人口 ($hits hits, 10 rows) | $s_rps | $s_p50 | $s_p99 | $(stat -c %s "$work/search.json") | $n1_rps | $(ratio "$s_rps" "$n1_rps") |
| package_show | $p_rps | $p_p50 | $p_p99 | $(stat -c %s "$work/show.json") | $n2_rps | $(ratio "$p_rps" "$n2_rps") |

Start to healthy: ${startup}s (first start, after generation), ${restart}s (restart). Resident memory after the runs: ${rss} MB.
MD
rm -rf "$work"
