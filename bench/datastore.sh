#!/usr/bin/env bash
# DataStore load and search benchmark. Generates a Tokyo-shaped patients CSV (UTF-8 and CP932), then, in the same run:
#   - OpenGov's load (detect, infer, normalise, bulk load, indexes, swap) into SQLite and into PostgreSQL,
#   - sqlite3 '.import --csv' into a file database, and PostgreSQL 'COPY ... FROM' (server-side file, all text columns),
#   - datastore_search p50 with two equality filters and a sort (first with the on-demand index build), and q.
# Peak RSS is /usr/bin/time's maximum resident set size of the bench process.
# usage: bash bench/datastore.sh [ROWS]   (default 1,000,000; needs sqlite3, psql, iconv, PostgreSQL on 127.0.0.1)
#        BIG=1 also loads a generated ~1 GB file (BIG_ROWS, default 9,000,000) into both engines and reports peak RSS
#        PGSSL=disable connects OpenGov to PostgreSQL without TLS (the baseline COPY reads a server-side file either way)
#        WARMUP=N first loads the file's first N rows (untimed, then dropped): the timed load runs on compiled code,
#        as in a server that has loaded a file before (default 0: a fresh process's first load, JIT included)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
searches=${SEARCHES:-200}
pghost=${PGHOST:-127.0.0.1}; export PGPASSWORD=${PGPASSWORD:-postgres}
pgcs="Host=$pghost;Username=postgres;Password=$PGPASSWORD;Database=dsbench"
# PGSSL=disable: OpenGov connects without TLS (Npgsql's default is TLS when the server offers it, even on loopback)
[ "${PGSSL:-}" = disable ] && pgcs="$pgcs;SslMode=Disable" # no spaces: $target is word-split
work=$(mktemp -d /tmp/opengov-dsbench.XXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

python3 "${GEN:-../shared/tools/gen_patients_csv.py}" "$work/utf8.csv" "$rows"
iconv -f UTF-8 -t CP932 "$work/utf8.csv" > "$work/cp932.csv"
chmod 644 "$work"/*.csv
dotnet build -c Release -v quiet -nologo bench/OpenGov.DataStoreBench >/dev/null
bench=bench/OpenGov.DataStoreBench/bin/Release/net10.0/OpenGov.DataStoreBench.dll

now() { date +%s.%N; }
cols='"No" text, code text, pref text, city text, pubdate text, youbi text, onset text, residence text, age text, sex text, attr text, state text, symptom text, travel text, note text, discharged text'
psql_() { psql -q -h "$pghost" -U postgres "$@"; }

echo "| file | engine | rows stored s | + indexes, swap: total s | rows/s (total) | baseline | baseline s | ratio rows stored | ratio total | peak RSS MB | filter+sort p50 ms (with total / without) | q p50 ms | first search, no index ms | on-demand index s |"
echo "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|"
for f in utf8 cp932; do
  # baselines
  rm -f "$work/import.db"
  s=$(now); sqlite3 "$work/import.db" ".import --csv $work/$f.csv t" 2>/dev/null; e=$(now)
  sqlite_s=$(echo "$e - $s" | bc -l)
  psql_ -d postgres -c "DROP DATABASE IF EXISTS dsbench" -c "CREATE DATABASE dsbench" >/dev/null 2>&1
  psql_ -d dsbench -c "CREATE TABLE t ($cols)" >/dev/null
  enc=$([ "$f" = cp932 ] && echo SJIS || echo UTF8)
  s=$(now); psql_ -d dsbench -c "COPY t FROM '$work/$f.csv' WITH (FORMAT csv, HEADER true, ENCODING '$enc')" >/dev/null; e=$(now)
  copy_s=$(echo "$e - $s" | bc -l)
  psql_ -d dsbench -c "DROP TABLE t" >/dev/null

  for engine in sqlite postgres; do
    rm -rf "$work/sq"; mkdir -p "$work/sq"
    target=$([ "$engine" = sqlite ] && echo "--sqlite $work/sq" || echo "--pg $pgcs")
    line=$(/usr/bin/time -f "%M" -o "$work/rss" dotnet "$bench" $target --file "$work/$f.csv" --searches "$searches" --warmup "${WARMUP:-0}" 2>"$work/log")
    rss=$(( $(cat "$work/rss") / 1024 ))
    IFS=$'\t' read -r _ n load rps p50 p50nt q idx rows_s _ _ first <<<"$line"
    if [ "$engine" = sqlite ]; then base="sqlite3 .import"; bs=$sqlite_s; else base="COPY FROM"; bs=$copy_s; fi
    ratio=$(echo "$bs / $load" | bc -l)
    ratio_rows=$(echo "$bs / $rows_s" | bc -l)
    printf '| %s | %s | %.2f | %.2f | %s | %s | %.2f | %.2f | %.2f | %s | %s / %s | %s | %s | %s |\n' "$f" "$engine" "$rows_s" "$load" "$rps" "$base" "$bs" "$ratio_rows" "$ratio" "$rss" "$p50" "$p50nt" "$q" "$first" "$idx"
  done
done

if [ "${BIG:-0}" = 1 ]; then
  # peak memory of a ~1 GB file (9,000,000 rows): load only, no searches; the file is deleted afterwards
  big_rows=${BIG_ROWS:-9000000}
  python3 "${GEN:-../shared/tools/gen_patients_csv.py}" "$work/big.csv" "$big_rows"
  chmod 644 "$work/big.csv"
  echo
  echo "Big file: $big_rows rows, $(( $(stat -c %s "$work/big.csv") / 1000000 )) MB"
  echo
  echo "| engine | rows | rows stored s | total s | rows/s | peak RSS MB | load average before |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  for engine in sqlite postgres; do
    rm -rf "$work/sq"; mkdir -p "$work/sq"
    [ "$engine" = postgres ] && { psql_ -d postgres -c "DROP DATABASE IF EXISTS dsbench" -c "CREATE DATABASE dsbench" >/dev/null 2>&1; }
    target=$([ "$engine" = sqlite ] && echo "--sqlite $work/sq" || echo "--pg $pgcs")
    la=$(cut -d' ' -f1-3 /proc/loadavg)
    line=$(/usr/bin/time -f "%M" -o "$work/rss" dotnet "$bench" $target --file "$work/big.csv" --searches 0 2>"$work/log")
    rss=$(( $(cat "$work/rss") / 1024 ))
    IFS=$'\t' read -r _ n load rps _ _ _ _ rows_s <<<"$line"
    printf '| %s | %s | %.2f | %.2f | %s | %s | %s |\n' "$engine" "$n" "$rows_s" "$load" "$rps" "$rss" "$la"
  done
  rm -f "$work/big.csv"; rm -rf "$work/sq"
fi

psql_ -d postgres -c "DROP DATABASE IF EXISTS dsbench" >/dev/null 2>&1
echo
echo "rows=$rows; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
