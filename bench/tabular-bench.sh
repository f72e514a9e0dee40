#!/usr/bin/env bash
# Tabular reader benchmark: generates the input files into a temp dir, times the sqlite3 baseline,
# then runs BenchmarkDotNet (short Monitoring job). Usage: bash bench/tabular-bench.sh [extra BDN args]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$(mktemp -d /tmp/tabular-bench.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
cp tests/OpenGov.Tabular.Tests/Fixtures/130001_tokyo_covid19_patients.csv "$DIR/tokyo-14645.csv"
python3 "${GEN:-../shared/tools/gen_patients_csv.py}" "$DIR/gen-1m-utf8.csv" 1000000
iconv -f UTF-8 -t CP932 "$DIR/gen-1m-utf8.csv" > "$DIR/gen-1m-cp932.csv"
ls -l "$DIR"
echo "## sqlite3 baseline: sqlite3 :memory: '.import --csv FILE t' (best of 3, seconds)"
for f in tokyo-14645.csv gen-1m-utf8.csv gen-1m-cp932.csv; do
  best=999999
  for i in 1 2 3; do
    s=$(date +%s.%N); sqlite3 :memory: ".import --csv $DIR/$f t"; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l); best=$(echo "if ($t < $best) $t else $best" | bc -l)
  done
  printf 'sqlite3 %s %.3f s\n' "$f" "$best"
done
TABULAR_BENCH_DIR="$DIR" dotnet run -c Release --project bench/OpenGov.Tabular.Benchmarks -- --filter '*' "$@"
