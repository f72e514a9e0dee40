#!/usr/bin/env bash
# Dashboards benchmark (issue 10), in one run on 127.0.0.1, for SQLite and for PostgreSQL:
#   1. a generated 1,000,000-row Tokyo patients CSV (gen_patients_csv.py) uploaded through resource_create and loaded
#      by the server's own job, the Tokyo template made from it; then every card of the template computed by the
#      first request of its page after a restart (cold: nothing cached; the code already warmed on a small dashboard),
#      against the same aggregate queries (SELECT keys, COUNT(*) ... GROUP BY keys ORDER BY keys, one per source query
#      of the definition) run directly in sqlite3 on datastore.db / in psql on the same database, same tables;
#   2. the real Tokyo dashboard of 2020-08-06 (fixtures: 14,645 patients, call centre, advice centre): its cached page
#      and data.json with wrk, against nginx serving the folder `admin dashboard-export` wrote, in the same run.
# Bounded: REPEAT (default 3) cold samples per engine, each wrk run DURATION seconds (default 10).
# usage: bash bench/dashboards.sh [ROWS]   (default 1,000,000; needs sqlite3, psql, wrk, nginx, PostgreSQL on 127.0.0.1)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
repeat=${REPEAT:-3}
duration=${DURATION:-10}
conns=${CONNECTIONS:-32}
port=5393; nginx_port=5394
pghost=${PGHOST:-127.0.0.1}; export PGPASSWORD=${PGPASSWORD:-postgres}
export Logging__LogLevel__Default=Warning
export OpenGov__MaxUploadBytes=400000000   # the 1M-row file is 114 MB; the default limit is 100 MiB
work=$(mktemp -d /tmp/opengov-dashbench.XXXX)
chmod 755 "$work"
server=""; nginx_pid=""
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; [ -z "$nginx_pid" ] || kill "$nginx_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

patients="$work/130001_tokyo_covid19_patients.csv"
python3 "${GEN:-../shared/tools/gen_patients_csv.py}" "$patients" "$rows"
[ "${PUBLISHED:-0}" = 1 ] || dotnet publish src/OpenGov -p:PublishProfile=ReadyToRun -v quiet -nologo >/dev/null  # PUBLISHED=1: reuse bin/publish
dll="$PWD/src/OpenGov/bin/publish/OpenGov.dll"
fixtures="$PWD/tests"
psql_() { psql -q -h "$pghost" -U postgres "$@"; }
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

og() { (cd src/OpenGov && dotnet "$dll" --data "$data" "$@"); }
start_server() {
  (cd src/OpenGov && exec dotnet "$dll" --data "$data" --urls "http://127.0.0.1:$port") >>"$work/server.log" 2>&1 &
  server=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }
api() { # action json -> result json
  curl -sf -H "Authorization: $token" -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$port/api/3/action/$1"
}
upload() { # dataset file -> resource id, once its load is complete
  local id status
  id=$(curl -sf -H "Authorization: $token" -F "package_id=$1" -F "upload=@$2" "http://127.0.0.1:$port/api/3/action/resource_create" \
    | python3 -c 'import json,sys;print(json.load(sys.stdin)["result"]["id"])')
  for _ in $(seq 1 3000); do
    status=$(api datastore_job_show "{\"resource_id\":\"$id\"}" 2>/dev/null | python3 -c 'import json,sys;print(json.load(sys.stdin)["result"]["status"])' 2>/dev/null || echo pending)
    case $status in complete) break ;; error|failed) echo "load of $2 failed" >&2; exit 1 ;; esac
    sleep 0.2
  done
  echo "$id"
}
dashboard() { # org title files... : the organization, one dataset, the files loaded, the template dashboard
  local org=$1 title=$2; shift 2
  api organization_create "{\"name\":\"$org\",\"title\":\"$title\"}" >/dev/null
  api package_create "{\"name\":\"$org-covid19\",\"title\":\"$title 新型コロナウイルス感染症\",\"owner_org\":\"$org\"}" >/dev/null
  for f in "$@"; do upload "$org-covid19" "$f" >/dev/null; done
  curl -sf -X POST -H "Authorization: $token" "http://127.0.0.1:$port/api/dashboards/$org/template/covid19" >/dev/null
}
wrk_run() { # url -> "rps p50 p99"
  wrk -t2 -c"$conns" -d"${duration}s" --latency "$1" >"$work/wrk.txt"
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") $(awk '$1=="50%" {print $2}' "$work/wrk.txt") $(awk '$1=="99%" {print $2}' "$work/wrk.txt")"
}

declare -A result
for engine in sqlite postgres; do
  data="$work/$engine"; mkdir -p "$data"
  if [ "$engine" = postgres ]; then
    psql_ -d postgres -c "DROP DATABASE IF EXISTS dashbench" -c "CREATE DATABASE dashbench" >/dev/null 2>&1
    export ConnectionStrings__Default="Host=$pghost;Username=postgres;Password=$PGPASSWORD;Database=dashbench"
  else
    unset ConnectionStrings__Default
  fi
  og admin create-user bench --password "bench-$RANDOM-password" --sysadmin >/dev/null
  token=$(og admin create-token bench | tail -1)
  start_server
  dashboard tokyo 東京都 "$fixtures/OpenGov.Tabular.Tests/Fixtures/130001_tokyo_covid19_patients.csv" \
    "$fixtures/OpenGov.Tabular.Tests/Fixtures/130001_tokyo_covid19_call_center.csv" \
    "$fixtures/OpenGov.Dashboards.Tests/Fixtures/130001_tokyo_covid19_combined_telephone_advice_center.csv"
  s=$(now); dashboard big 東京都（生成データ） "$patients"; e=$(now)
  load_s=$(echo "$e - $s" | bc -l)
  curl -sf "http://127.0.0.1:$port/api/dashboards/big/covid19" >"$work/big.json"
  stop_server

  # the aggregate queries of the definition, as DataStoreAggregates sends them
  python3 - "$work/big.json" "$engine" >"$work/queries.sql" <<'PY'
import json, sys
doc, engine = json.load(open(sys.argv[1])), sys.argv[2]
def find(o):
    if isinstance(o, dict):
        if isinstance(o.get("cards"), list): return o
        for v in o.values():
            r = find(v)
            if r: return r
    return None
d = find(doc)
def queries(source, c):
    res = c.get("source") or source
    k = c.get("kind", "countPerDay")
    if k == "ratio": return queries(res, c["numerator"]) + queries(res, c["denominator"])
    if k == "countByCategory": return [(res, None, c.get("categoryColumn"), c.get("valueColumn"))]
    if k == "countPerDayByCategory": return [(res, c.get("dateColumn"), c.get("categoryColumn"), c.get("valueColumn"))]
    if k == "sumPerDay": return [(res, c.get("dateColumn"), None, c.get("valueColumn"))]
    return [(res, c.get("dateColumn"), None, None)]
seen = []
for card in d["cards"]:
    for q in queries(card["source"], card["computation"]):
        if q not in seen: seen.append(q)
q_ = lambda s: '"' + s.replace('"', '""') + '"'
for res, date, cat, val in seen:
    keys = [q_(x) for x in (date, cat) if x]
    table = ("datastore." if engine == "postgres" else "") + q_(res)
    sel = ", ".join(keys + ["COUNT(*)"]) + (f", SUM({q_(val)}), COUNT(*) - COUNT({q_(val)})" if val else "")
    tail = f" GROUP BY {', '.join(keys)} ORDER BY {', '.join(keys)}" if keys else ""
    print(f"SELECT {sel} FROM {table}{tail};")
print(f"-- {len(d['cards'])} cards", file=sys.stderr)
PY
  nq=$(wc -l <"$work/queries.sql")
  cards=$(python3 -c "import json,sys;d=json.load(open('$work/big.json'));d=d.get('definition',d);print(len(d['cards']))" 2>/dev/null || echo "?")
  cold=(); base=()
  for _ in $(seq 1 "$repeat"); do
    start_server
    curl -sf "http://127.0.0.1:$port/dashboards/tokyo/covid19" >/dev/null   # warm the code on the small dashboard
    s=$(now); curl -sf "http://127.0.0.1:$port/dashboards/big/covid19" >"$work/big.html"; e=$(now)
    cold+=("$(echo "$e - $s" | bc -l)")
    s=$(now); curl -sf "http://127.0.0.1:$port/dashboards/big/covid19" >/dev/null; e=$(now)
    warm=$(echo "$e - $s" | bc -l)
    stop_server
    if [ "$engine" = sqlite ]; then
      s=$(now); sqlite3 "$data/datastore.db" <"$work/queries.sql" >/dev/null; e=$(now)
    else
      s=$(now); psql_ -d dashbench -f "$work/queries.sql" >/dev/null; e=$(now)
    fi
    base+=("$(echo "$e - $s" | bc -l)")
  done
  c_med=$(printf '%s\n' "${cold[@]}" | median); b_med=$(printf '%s\n' "${base[@]}" | median)
  result[$engine.compute]=$(printf '| %s | %s | %s | %.2f | %s | %s | %.3f | %s | %.3f | %.2f |' "$engine" "$rows" "$cards" "$load_s" "$nq" \
    "$(printf '%.3f ' "${cold[@]}")" "$c_med" "$(printf '%.3f ' "${base[@]}")" "$b_med" "$(echo "$b_med / $c_med" | bc -l)")
  result[$engine.warm]=$warm

  # cached page and data.json of the real Tokyo dashboard against nginx serving its export
  rm -rf "$work/www"; mkdir -p "$work/www"
  og admin dashboard-export tokyo covid19 --out "$work/www/tokyo" >/dev/null
  start_server
  curl -sf "http://127.0.0.1:$port/dashboards/tokyo/covid19" >"$work/page.html"
  curl -sf "http://127.0.0.1:$port/dashboards/tokyo/covid19/data.json" >"$work/data.json"
  wrk -t2 -c"$conns" -d3s "http://127.0.0.1:$port/dashboards/tokyo/covid19" >/dev/null   # warm-up
  read -r p_rps p_p50 p_p99 < <(wrk_run "http://127.0.0.1:$port/dashboards/tokyo/covid19")
  read -r j_rps j_p50 j_p99 < <(wrk_run "http://127.0.0.1:$port/dashboards/tokyo/covid19/data.json")
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$server/status)
  stop_server
  result[$engine.page]="$p_rps $p_p50 $p_p99 $(stat -c %s "$work/page.html")"
  result[$engine.json]="$j_rps $j_p50 $j_p99 $(stat -c %s "$work/data.json")"
  result[$engine.rss]=$rss
done
unset ConnectionStrings__Default

cat >"$work/nginx.conf" <<NGINX
worker_processes 2; daemon off; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000;
  types { text/html html; application/json json; text/css css; image/svg+xml svg; }
  server { listen 127.0.0.1:$nginx_port; root $work/www; } }
NGINX
nginx -c "$work/nginx.conf" -p "$work" & nginx_pid=$!
sleep 0.5
read -r n1_rps n1_p50 n1_p99 < <(wrk_run "http://127.0.0.1:$nginx_port/tokyo/index.html")
read -r n2_rps n2_p50 n2_p99 < <(wrk_run "http://127.0.0.1:$nginx_port/tokyo/data.json")
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
psql_ -d postgres -c "DROP DATABASE IF EXISTS dashbench" >/dev/null 2>&1

ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
echo "Every card of the Tokyo template over $rows generated patients (cold: first page request after a restart; baseline: the same GROUP BY queries in the engine's own client, same tables; ratio = baseline / OpenGov)"
echo
echo "| engine | rows | cards | upload + load + template s | queries | OpenGov cold page s (each) | median | baseline s (each) | median | ratio |"
echo "|---|---:|---:|---:|---:|---|---:|---|---:|---:|"
for engine in sqlite postgres; do echo "${result[$engine.compute]}"; done
echo
echo "The same page once cached (second request): sqlite ${result[sqlite.warm]} s, postgres ${result[postgres.warm]} s"
echo
echo "| real Tokyo dashboard 2020-08-06 (wrk -t2 -c$conns -d${duration}s) | engine | bytes | req/s | p50 | p99 | ratio to nginx |"
echo "|---|---|---:|---:|---:|---:|---:|"
for engine in sqlite postgres; do
  read -r rps p50 p99 bytes <<<"${result[$engine.page]}"
  echo "| page /dashboards/tokyo/covid19 | $engine | $bytes | $rps | $p50 | $p99 | $(ratio "$rps" "$n1_rps") |"
  read -r rps p50 p99 bytes <<<"${result[$engine.json]}"
  echo "| data.json | $engine | $bytes | $rps | $p50 | $p99 | $(ratio "$rps" "$n2_rps") |"
done
echo "| nginx: exported index.html | | $(stat -c %s "$work/www/tokyo/index.html") | $n1_rps | $n1_p50 | $n1_p99 | 1 |"
echo "| nginx: exported data.json | | $(stat -c %s "$work/www/tokyo/data.json") | $n2_rps | $n2_p50 | $n2_p99 | 1 |"
echo
echo "Resident memory after the wrk runs: sqlite ${result[sqlite.rss]} MB, postgres ${result[postgres.rss]} MB."
echo "rows=$rows; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
