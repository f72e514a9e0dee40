#!/usr/bin/env bash
# Live questions load benchmark on 127.0.0.1 (bounded: each run lasts SECONDS, default 20).
# One node (SQLite): N server-sent-event viewers (VIEWERS, default "1000 5000 10000") while questions and votes
# arrive at RATE per second (default 10); delivery latency p50/p99/max and server memory per connection (RSS growth
# / N). Then the accepted posts+votes per second (fresh participants, CONCURRENCY workers, 10 s), and the accepted
# poll answers per second (single choice, rating and free words in turn, fresh participants, 10 s; the results must
# count exactly the accepted answers).
# SKIP_VIEWERS=1 skips the viewer runs, SKIP_POLLS=1 the poll-answer runs, SKIP_THROUGHPUT=1 the posts+votes runs.
# Two nodes (when PostgreSQL and Redis answer on 127.0.0.1): viewers on node B, posts on node A, through Redis.
# usage: bench/events.sh            (results printed as Markdown tables)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_PER_RUN:-20}
rate=${RATE:-10}
viewers=${VIEWERS:-"1000 5000 10000"}
work=$(mktemp -d /tmp/opengov-events-bench.XXXX)
token="bench-$(date +%s%N)"
export Logging__LogLevel__Default=Warning
export OPENGOV_BOOTSTRAP_ADMIN_TOKEN=$token
# The load generator's requests carry no participant cookie (each vote is a new participant): lift the per-address
# limit of cookie-less writes, which protects "one vote per participant" in production.
export OpenGov__Events__CookielessBurst=0
ulimit -n 20000 || true

dotnet build -c Release -v quiet -nologo src/OpenGov >/dev/null
dotnet build -c Release -v quiet -nologo bench/events >/dev/null
bench=bench/events/bin/Release/net10.0/OpenGov.EventsBench.dll

start_server() { # port data [extra env...]
  local port=$1 data=$2; shift 2
  (cd src/OpenGov && exec env "$@" dotnet bin/Release/net10.0/OpenGov.dll --data "$data" --urls "http://127.0.0.1:$port") >"$work/server-$port.log" 2>&1 &
  echo $!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
}
cleanup() { for p in ${pids:-}; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# SERVER_ENV: extra environment of the servers, e.g. "DOTNET_gcServer=0" (workstation GC).
pids=$(start_server 5400 "$work/one" OPENGOV_BENCH=1 ${SERVER_ENV:-})
echo "### One node (SQLite), $rate posts+votes/s for $seconds s"
echo
echo "| run | viewers | connected | connect time | rate | posts + votes | deliveries | p50 | p99 | max | RSS per connection | server RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
[ -n "${SKIP_VIEWERS:-}" ] && viewers=""
for n in $viewers; do
  dotnet $bench --url http://127.0.0.1:5400 --token "$token" --viewers "$n" --rate "$rate" --seconds "$seconds" --pid "$pids" --label "one node"
done
if [ -z "${SKIP_THROUGHPUT:-}" ]; then
echo
echo "### Accepted posts and votes per second (one node, SQLite)"
echo
echo "| run | workers | duration | accepted | refused | accepted/s |"
echo "|---|---:|---:|---:|---:|---:|"
dotnet $bench --url http://127.0.0.1:5400 --token "$token" --throughput 10 --concurrency "${CONCURRENCY:-32}" --label "one node"
fi
if [ -z "${SKIP_POLLS:-}" ]; then
echo
echo "### Accepted poll answers per second (one node, SQLite)"
echo
echo "| run | workers | duration | accepted | refused | counted in the results | accepted/s |"
echo "|---|---:|---:|---:|---:|---:|---:|"
dotnet $bench --url http://127.0.0.1:5400 --token "$token" --poll-throughput 10 --concurrency "${CONCURRENCY:-32}" --label "one node"
fi
kill $pids; pids=""

if [ -z "${SKIP_TWO_NODES:-}" ] && pg_isready -h 127.0.0.1 -q 2>/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  db="og_events_bench_$$"
  PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" >/dev/null
  # PG_OPTIONS: more Npgsql settings of the nodes' connection string, e.g. "Maximum Pool Size=10".
  cs="Host=127.0.0.1;Username=postgres;Password=postgres;Database=$db${PG_OPTIONS:+;$PG_OPTIONS}"
  a=$(start_server 5401 "$work/a" ConnectionStrings__Default="$cs" ConnectionStrings__Redis=127.0.0.1:6379 ${SERVER_ENV:-})
  b=$(start_server 5402 "$work/b" ConnectionStrings__Default="$cs" ConnectionStrings__Redis=127.0.0.1:6379 ${SERVER_ENV:-})
  pids="$a $b"
  if [ -z "${SKIP_VIEWERS:-}" ]; then
  echo
  echo "### Two nodes through Redis (PostgreSQL): posts on node A, viewers on node B"
  echo
  echo "| run | viewers | connected | connect time | rate | posts + votes | deliveries | p50 | p99 | max | RSS per connection (B) | server B RSS |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  dotnet $bench --url http://127.0.0.1:5402 --post-url http://127.0.0.1:5401 --token "$token" --viewers "${TWO_NODE_VIEWERS:-1000}" --rate "$rate" --seconds "$seconds" --pid "$b" --label "A → Redis → B"
  fi
  if [ -z "${SKIP_THROUGHPUT:-}" ]; then
  echo
  echo "### Accepted posts and votes per second on node A (PostgreSQL)"
  echo
  echo "| run | workers | duration | accepted | refused | accepted/s |"
  echo "|---|---:|---:|---:|---:|---:|"
  dotnet $bench --url http://127.0.0.1:5401 --token "$token" --throughput 10 --concurrency "${CONCURRENCY:-32}" --label "node A (PostgreSQL)"
  fi
  if [ -z "${SKIP_POLLS:-}" ]; then
  echo
  echo "### Accepted poll answers per second on node A (PostgreSQL)"
  echo
  echo "| run (poll answers) | workers | duration | accepted | refused | counted in the results | accepted/s |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  dotnet $bench --url http://127.0.0.1:5401 --token "$token" --poll-throughput 10 --concurrency "${CONCURRENCY:-32}" --label "node A (PostgreSQL)"
  fi
  kill $a $b; pids=""
  sleep 1
  PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
fi
rm -rf "$work"
