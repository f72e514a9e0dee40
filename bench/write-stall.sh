#!/usr/bin/env bash
# Write stall benchmark (issue 15, point 3) on 127.0.0.1, one node on SQLite: is a question posted to a live event
# answered within a second while the largest allowed package is written?
# Phase "baseline": questions only, one every INTERVAL_MS (default 100) for SECONDS_PER_RUN (default 20).
# Phase "during writes": the same questions while WRITERS (default 1) clients write maximum-size packages in a loop
# (package_create of a new package at the PackageLimits defaults: 1,000 resources, 200 tags, 200 extras, notes of
# 100,000 characters). Reports the question posts' p50/p99/max and how many took over 1 s, and the package writes'
# count and durations. Bounded: two phases of SECONDS_PER_RUN, every request times out after 60 s.
# usage: bench/write-stall.sh           (results printed as a Markdown table)
#   SERVER_DLL=path/OpenGov.dll uses that build instead of building src/OpenGov in Release.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_PER_RUN:-20}
interval=${INTERVAL_MS:-100}
writers=${WRITERS:-1}
port=${PORT:-5410}
work=$(mktemp -d /tmp/opengov-write-stall.XXXX)
token="bench-$(date +%s%N)"
export Logging__LogLevel__Default=Warning
export OPENGOV_BOOTSTRAP_ADMIN_TOKEN=$token
# every question comes without a participant cookie (a new participant each): lift the per-address admission limit
export OpenGov__Events__CookielessBurst=0
# the writers are one user: do not let the per-user write rate limit pace them
export OpenGov__WritesPerSecond=100000

dll=${SERVER_DLL:-}
if [ -z "$dll" ]; then
  dotnet build -c Release -v quiet -nologo src/OpenGov >/dev/null
  dll="$PWD/src/OpenGov/bin/Release/net10.0/OpenGov.dll"
fi

(cd src/OpenGov && exec dotnet "$dll" --data "$work/data" --urls "http://127.0.0.1:$port") >"$work/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 - "http://127.0.0.1:$port" "$token" "$seconds" "$interval" "$writers" <<'PY'
import http.client, json, sys, threading, time, urllib.parse

base, token, seconds, interval_ms, writers = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
host = urllib.parse.urlparse(base)

def request(method, path, body=None, auth=True, timeout=60):
    c = http.client.HTTPConnection(host.hostname, host.port, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = token
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    t0 = time.perf_counter()
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    text = r.read()
    elapsed = time.perf_counter() - t0
    c.close()
    return r.status, text, elapsed

def ok(method, path, body=None):
    status, text, _ = request(method, path, body)
    if status >= 300:
        sys.exit(f"{method} {path}: {status} {text[:300]!r}")
    return json.loads(text)

ok("POST", "/api/3/action/organization_create", {"name": "bench-org", "title": "ベンチ市"})
ok("POST", "/api/events", {"slug": "stall", "title": "書き込み中の質問", "questionCode": "stall",
                           "startsAt": "2030-11-19T15:00:00+09:00", "endsAt": "2030-11-19T16:30:00+09:00"})

def max_package(n):
    return {
        "name": f"max-package-{n:05d}", "title": f"最大のデータセット {n}", "owner_org": "bench-org",
        "notes": ("市のオープンデータ。" * 10_000)[:100_000],
        "tags": [{"name": f"タグ{i:03d}"} for i in range(200)],
        "extras": [{"key": f"項目{i:03d}", "value": f"値 {i} " * 5} for i in range(200)],
        "resources": [{"name": f"資料 {i:04d}", "url": f"https://example.jp/data/{n}/{i}.csv", "format": "CSV",
                       "description": f"{i} 番目の資料の説明。" * 10} for i in range(1000)],
    }

size = len(json.dumps(max_package(0), ensure_ascii=False).encode())

def ask(stop_at, latencies, errors):
    n = 0
    while time.perf_counter() < stop_at:
        t_next = time.perf_counter() + interval_ms / 1000
        n += 1
        try:
            status, text, elapsed = request("POST", "/q/stall/api/questions", {"text": f"質問 {n} {time.time()}"}, auth=False)
            if status == 200:
                latencies.append(elapsed)
            else:
                errors.append(f"{status} {text[:120]!r}")
        except Exception as e:  # a timeout counts as an error, not a latency
            errors.append(repr(e))
        time.sleep(max(0, t_next - time.perf_counter()))

counter = iter(range(1, 1_000_000))
lock = threading.Lock()

def write(stop_at, durations, errors):
    while time.perf_counter() < stop_at:
        with lock:
            n = next(counter)
        try:
            status, text, elapsed = request("POST", "/api/3/action/package_create", max_package(n), timeout=120)
            (durations if status == 200 else errors).append(elapsed if status == 200 else f"{status} {text[:120]!r}")
        except Exception as e:
            errors.append(repr(e))

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")

def ms(x):
    return f"{x * 1000:,.0f} ms"

def phase(label, with_writes):
    latencies, q_errors, durations, w_errors = [], [], [], []
    stop_at = time.perf_counter() + seconds
    threads = [threading.Thread(target=write, args=(stop_at, durations, w_errors)) for _ in range(writers if with_writes else 0)]
    for t in threads:
        t.start()
    if with_writes:
        time.sleep(0.5)  # the first write is under way
    ask(stop_at, latencies, q_errors)
    for t in threads:
        t.join()
    over = sum(1 for x in latencies if x > 1.0)
    writes = f"{len(durations)} (median {ms(pct(durations, 50))}, max {ms(max(durations))})" if durations else "—"
    print(f"| {label} | {len(latencies)} | {len(q_errors)} | {ms(pct(latencies, 50))} | {ms(pct(latencies, 99))} | {ms(max(latencies))} | {over} | {writes} | {len(w_errors)} |")
    for e in (q_errors + w_errors)[:5]:
        print(f"<!-- error: {e} -->")

print(f"### A question every {interval_ms} ms for {seconds:.0f} s per phase; {writers} writer(s) of maximum packages ({size / 1e6:.1f} MB of JSON each)")
print()
print("| phase | questions answered | question errors | p50 | p99 | max | over 1 s | packages written (duration) | write errors |")
print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
phase("baseline (no package writes)", False)
phase("during maximum package writes", True)
PY
