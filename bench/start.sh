#!/usr/bin/env bash
# Start to healthy: seconds from process start until GET /healthz answers 200 (curl every 20 ms), on an existing
# SQLite data directory, N starts per build, interleaved; prints each build's times and median.
# usage: bench/start.sh [N] [BUILD_DIR...]
#   N defaults to 5. Without BUILD_DIR: publishes src/OpenGov with the ReadyToRun profile (bin/publish, what
#   bench/catalog.sh starts) and builds it in Release (bin/Release/net10.0), and measures both.
#   DATA=DIR reuses a data directory (else 10,000 datasets, COUNT to change, are generated into a temp one first).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}; shift || true
port=5392
export Logging__LogLevel__Default=Warning
if [ $# -eq 0 ]; then
  dotnet publish src/OpenGov -p:PublishProfile=ReadyToRun -v quiet -nologo >/dev/null
  dotnet build -c Release -v quiet -nologo src/OpenGov >/dev/null
  set -- "$PWD/src/OpenGov/bin/publish" "$PWD/src/OpenGov/bin/Release/net10.0"
fi
work=""
data=${DATA:-}
if [ -z "$data" ]; then
  work=$(mktemp -d /tmp/opengov-start.XXXX); data="$work/data"
  dotnet build -c Release -v quiet -nologo bench/OpenGov.CatalogBench >/dev/null
  dotnet bench/OpenGov.CatalogBench/bin/Release/net10.0/OpenGov.CatalogBench.dll --data "$data" --count "${COUNT:-10000}" | tail -1
fi
declare -A times
for _ in $(seq 1 "$n"); do
  for build in "$@"; do
    t0=$(date +%s.%N)
    (cd src/OpenGov && exec dotnet "$build/OpenGov.dll" --data "$data" --urls "http://127.0.0.1:$port") >/dev/null 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.02; done
    times[$build]="${times[$build]:-} $(echo "$(date +%s.%N) - $t0" | bc)"
    kill $pid; wait $pid 2>/dev/null || true
  done
done
for build in "$@"; do
  printf '%s %s\n' "$build" "$(printf '%s\n' ${times[$build]} | sort -n | awk '{printf "%.2f ", $1; a[NR]=$1} END {printf "(median %.2f s)", a[int((NR+1)/2)]}')"
done
[ -z "$work" ] || rm -rf "$work"
