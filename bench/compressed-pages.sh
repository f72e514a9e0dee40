#!/usr/bin/env bash
# What a browser waits for on a cached page (issue 10): the real Tokyo dashboard of 2020-08-06 (fixtures), its page and
# its data.json, asked for with a browser's Accept-Encoding ("gzip, deflate, br, zstd") and with none, against nginx
# serving the same files exported by `admin dashboard-export`, gzip_static on (their .gz made once with gzip -9: nginx's best case). With
# BEFORE=<git rev>, the same requests go to a server built from that revision too, interleaved round by round, on the
# same SQLite data (its migrations must be the same). Bounded: 2 documents x ROUNDS (default 3) x 4 to 6 wrk runs of DURATION s (default 5).
# usage: [BEFORE=rev] bash bench/compressed-pages.sh      (needs wrk, nginx, gzip; 127.0.0.1 only)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}; duration=${DURATION:-5}; conns=${CONNECTIONS:-32}
port=5396; before_port=5397; nginx_port=5398
export Logging__LogLevel__Default=Warning
work=$(mktemp -d /tmp/opengov-compressed.XXXX); chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -z "${BEFORE:-}" ] || git worktree remove --force "$work/before-src" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
browser="gzip, deflate, br, zstd"

publish() { # source dir -> dll path
  dotnet publish "$1/src/OpenGov" -p:PublishProfile=ReadyToRun -o "$work/pub-$2" -v quiet -nologo >/dev/null
  echo "$work/pub-$2/OpenGov.dll"
}
dll=$(publish "$PWD" after)
if [ -n "${BEFORE:-}" ]; then
  git worktree add -q --detach "$work/before-src" "$BEFORE"
  before_dll=$(publish "$work/before-src" before)
fi
data="$work/data"; mkdir -p "$data"
og() { (cd src/OpenGov && dotnet "$dll" --data "$data" "$@"); }
serve() { # dll port
  (cd src/OpenGov && exec dotnet "$1" --data "$data" --urls "http://127.0.0.1:$2") >>"$work/server.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$2/healthz" >/dev/null; do sleep 0.05; done
}
og admin create-user bench --password "bench-$RANDOM-password" --sysadmin >/dev/null
token=$(og admin create-token bench | tail -1)
serve "$dll" "$port"
api() { curl -sf -H "Authorization: $token" -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$port/api/3/action/$1"; }
api organization_create '{"name":"tokyo","title":"東京都"}' >/dev/null
api package_create '{"name":"tokyo-covid19","title":"東京都 新型コロナウイルス感染症","owner_org":"tokyo"}' >/dev/null
for f in tests/OpenGov.Tabular.Tests/Fixtures/130001_tokyo_covid19_patients.csv tests/OpenGov.Tabular.Tests/Fixtures/130001_tokyo_covid19_call_center.csv \
         tests/OpenGov.Dashboards.Tests/Fixtures/130001_tokyo_covid19_combined_telephone_advice_center.csv; do
  id=$(curl -sf -H "Authorization: $token" -F "package_id=tokyo-covid19" -F "upload=@$f" "http://127.0.0.1:$port/api/3/action/resource_create" \
    | python3 -c 'import json,sys;print(json.load(sys.stdin)["result"]["id"])')
  for _ in $(seq 1 600); do
    api datastore_job_show "{\"resource_id\":\"$id\"}" | grep -q '"status": *"complete"' && break; sleep 0.2
  done
done
curl -sf -X POST -H "Authorization: $token" "http://127.0.0.1:$port/api/dashboards/tokyo/template/covid19" >/dev/null
[ -z "${BEFORE:-}" ] || serve "$before_dll" "$before_port"
og admin dashboard-export tokyo covid19 --out "$work/www/tokyo" >/dev/null
gzip -9 -k "$work/www/tokyo/index.html" "$work/www/tokyo/data.json"
cat >"$work/nginx.conf" <<NGINX
worker_processes 2; daemon off; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000; gzip_static on;
  types { text/html html; application/json json; }
  server { listen 127.0.0.1:$nginx_port; root $work/www; } }
NGINX
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
sleep 0.5
bytes() { curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: $2" "$1"; }
wrk_rps() { # url [accept-encoding]
  if [ -n "${2:-}" ]; then wrk -t2 -c"$conns" -d"${duration}s" -H "Accept-Encoding: $2" "$1"; else wrk -t2 -c"$conns" -d"${duration}s" "$1"; fi \
    | awk '/Requests\/sec/ {print $2}'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# the page and its data.json (2 MB of JSON: Tokyo's patients list)
for doc in "covid19 index.html" "covid19/data.json data.json"; do
  set -- $doc; og_path=/dashboards/tokyo/$1; nginx_path=/tokyo/$2
  targets=("OpenGov http://127.0.0.1:$port$og_path")
  [ -z "${BEFORE:-}" ] || targets+=("OpenGov@$BEFORE http://127.0.0.1:$before_port$og_path")
  targets+=("nginx http://127.0.0.1:$nginx_port$nginx_path")
  for t in "${targets[@]}"; do set -- $t; wrk -t2 -c"$conns" -d2s -H "Accept-Encoding: $browser" "$2" >/dev/null; done   # warm-up, fills the caches
  declare -A runs=()
  for r in $(seq 1 "$rounds"); do
    for t in "${targets[@]}"; do
      set -- $t
      runs[$1.br]+="$(wrk_rps "$2" "$browser") "
      runs[$1.plain]+="$(wrk_rps "$2") "
    done
  done
  echo
  echo "$og_path"
  echo
  echo "| server | bytes (browser) | req/s with a browser's Accept-Encoding (each) | median | bytes (none) | req/s, no Accept-Encoding (each) | median |"
  echo "|---|---:|---|---:|---:|---|---:|"
  for t in "${targets[@]}"; do
    set -- $t
    echo "| $1 | $(bytes "$2" "$browser") | ${runs[$1.br]}| $(echo "${runs[$1.br]}" | median) | $(bytes "$2" identity) | ${runs[$1.plain]}| $(echo "${runs[$1.plain]}" | median) |"
  done
done
echo
echo "wrk -t2 -c$conns -d${duration}s, $rounds rounds interleaved; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
