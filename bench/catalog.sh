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
# the server runs from the ReadyToRun publish (docs/decisions/0006-start-time.md), as a deployment would
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
# 48 different 2-character words of the generated titles, notes and tags, and 2,000 different datasets
python3 - "$work" "$count" <<'PY'
import sys, urllib.parse
work, count = sys.argv[1], int(sys.argv[2])
words = ("人口 避難 一覧 設置 場所 公衆 保育 子育 支援 施設 観光 文化 感染 陽性 患者 検査 相談 件数 収集 公共 医療 機関 地域 年齢 "
         "介護 消防 水利 緊急 都市 公園 図書 千葉 福岡 奈良 室蘭 郡山 浜松 桑名 武雄 熊本 日南 三重 令和 平成 防災 健康 福祉 教育").split()
with open(f"{work}/search-paths.txt", "w") as f:
    for w in words:
        f.write("/api/3/action/package_search?q=" + urllib.parse.quote(w) + "\n")
with open(f"{work}/show-paths.txt", "w") as f:
    for n in range(0, count, max(1, count // 2000)):
        f.write(f"/api/3/action/package_show?id=bench-{n:06d}\n")
PY

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

run() { # url [paths file] -> "rps p50 p99"
  if [ -n "${2:-}" ]; then
    wrk -t2 -c"$conns" -d"${duration}s" --latency -s bench/rotate.lua "$1" -- "$2" >"$work/wrk.txt"
  else
    wrk -t2 -c"$conns" -d"${duration}s" --latency "$1" >"$work/wrk.txt"
  fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
  echo "$rps $p50 $p99"
}
measure() { # prefix: runs the four server measurements into variables <prefix>_...
  wrk -t2 -c"$conns" -d3s -s bench/rotate.lua "http://127.0.0.1:$port" -- "$work/search-paths.txt" >/dev/null
  wrk -t2 -c"$conns" -d3s -s bench/rotate.lua "http://127.0.0.1:$port" -- "$work/show-paths.txt" >/dev/null
  read -r "${1}_s1_rps" "${1}_s1_p50" "${1}_s1_p99" < <(run "http://127.0.0.1:$port$search")
  read -r "${1}_sr_rps" "${1}_sr_p50" "${1}_sr_p99" < <(run "http://127.0.0.1:$port" "$work/search-paths.txt")
  read -r "${1}_p1_rps" "${1}_p1_p50" "${1}_p1_p99" < <(run "http://127.0.0.1:$port$show")
  read -r "${1}_pr_rps" "${1}_pr_p50" "${1}_pr_p99" < <(run "http://127.0.0.1:$port" "$work/show-paths.txt")
}
measure c
rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$server/status)
read -r n1_rps n1_p50 n1_p99 < <(run "http://127.0.0.1:$nginx_port/search.json")
read -r n2_rps n2_p50 n2_p99 < <(run "http://127.0.0.1:$nginx_port/show.json")
kill $server; wait $server 2>/dev/null || true
# the same requests with the output cache off: every answer computed from the database
export OpenGov__CacheCatalogReads=false; start_server >/dev/null; server=$(cat "$work/server.pid"); unset OpenGov__CacheCatalogReads
measure u
rss_u=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$server/status)
kill $server $nginx_pid; wait $server 2>/dev/null || true
restart=$(start_server); server=$(cat "$work/server.pid"); kill $server; wait $server 2>/dev/null || true

ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
cat <<MD
| what ($count datasets, wrk -t2 -c$conns -d${duration}s) | cache | req/s | p50 | p99 | ratio to nginx (same bytes) |
|---|---|---|---|---|---|
| package_search q=人口 ($hits hits, 10 rows, $(stat -c %s "$work/search.json") bytes) | on | $c_s1_rps | $c_s1_p50 | $c_s1_p99 | $(ratio "$c_s1_rps" "$n1_rps") |
| package_search, 48 different 2-character words in turn | on | $c_sr_rps | $c_sr_p50 | $c_sr_p99 | $(ratio "$c_sr_rps" "$n1_rps") |
| package_show bench-000123 ($(stat -c %s "$work/show.json") bytes) | on | $c_p1_rps | $c_p1_p50 | $c_p1_p99 | $(ratio "$c_p1_rps" "$n2_rps") |
| package_show, 2,000 different datasets in turn | on | $c_pr_rps | $c_pr_p50 | $c_pr_p99 | $(ratio "$c_pr_rps" "$n2_rps") |
| package_search q=人口 | off | $u_s1_rps | $u_s1_p50 | $u_s1_p99 | $(ratio "$u_s1_rps" "$n1_rps") |
| package_search, 48 words in turn | off | $u_sr_rps | $u_sr_p50 | $u_sr_p99 | $(ratio "$u_sr_rps" "$n1_rps") |
| package_show bench-000123 | off | $u_p1_rps | $u_p1_p50 | $u_p1_p99 | $(ratio "$u_p1_rps" "$n2_rps") |
| package_show, 2,000 datasets in turn | off | $u_pr_rps | $u_pr_p50 | $u_pr_p99 | $(ratio "$u_pr_rps" "$n2_rps") |
| nginx: search.json / show.json | | $n1_rps / $n2_rps | $n1_p50 / $n2_p50 | $n1_p99 / $n2_p99 | 1 |

Start to healthy: ${startup}s (first start, after generation), ${restart}s (restart). Resident memory after the runs: ${rss} MB (cache on), ${rss_u} MB (cache off).
MD
rm -rf "$work"
