#!/usr/bin/env bash
# SSE against SignalR on 127.0.0.1 (issue 4: "choose by benchmark"), bounded: each broadcast lasts SECONDS_PER_RUN
# (default 20) at RATE changes per second (default 10). For every transport and client count (CLIENTS, default
# "1000 5000 10000") a fresh server process hosts both transports (bench/OpenGov.TransportBench "server": SSE by
# OpenGov's own EventBus/EventFeed/EventStream over an event log in a temporary SQLite database, and a
# Hub<IViewerClient>), and a separate client process opens the
# viewers of one transport, has the server broadcast the same ~300-byte JSON change, and prints one Markdown row.
# PIN=1 runs the server on core 0 and the client on core 1 (taskset), so that the clients' CPU does not come out of the
# server's share; by default both float over the machine's cores like the other benchmarks.
# Wrap it in the machine's benchmark lock: flock /work/bench.lock bash bench/transport.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_PER_RUN:-20}
rate=${RATE:-10}
clients=${CLIENTS:-"1000 5000 10000"}
transports=${TRANSPORTS:-"sse signalr"}
port=${PORT:-5450}
work=$(mktemp -d /tmp/opengov-transport-bench.XXXX)
ulimit -n 20000 || true

dotnet build -c Release -v quiet -nologo bench/OpenGov.TransportBench >/dev/null
dll=bench/OpenGov.TransportBench/bin/Release/net10.0/OpenGov.TransportBench.dll

server=""
cleanup() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
header=--header
pin_server=(); pin_client=()
if [ -n "${PIN:-}" ]; then pin_server=(taskset -c 0); pin_client=(taskset -c 1); fi
for n in $clients; do
  for t in $transports; do
    # SERVER_ENV: extra environment of the server, e.g. "DOTNET_gcServer=0" (workstation GC).
    "${pin_server[@]}" env ${SERVER_ENV:-} dotnet "$dll" server --port "$port" >"$work/server.log" 2>&1 &
    server=$!
    until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
    "${pin_client[@]}" env DOTNET_gcServer=0 dotnet "$dll" client --transport "$t" --url "http://127.0.0.1:$port" --clients "$n" --rate "$rate" --seconds "$seconds" $header
    header=""
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    sleep 1
  done
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
