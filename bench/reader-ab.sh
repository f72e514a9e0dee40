#!/usr/bin/env bash
# The table reader of two commits on the same file, alternately in one run (read + infer + normalise, the loader's
# CPU work before the database): wall and CPU seconds per pass. Finds which commit made loading slower or faster.
# Usage: bash bench/reader-ab.sh BEFORE AFTER [FILE] [PASSES]   (FILE default: a generated 1,000,000-row patients CSV)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
before=${1:?before commit}; after=${2:?after commit}; passes=${4:-3}
work=$(mktemp -d /tmp/reader-ab.XXXXXX)
trap 'git -C "$root" worktree remove --force "$work/src-a" >/dev/null 2>&1 || true; git -C "$root" worktree remove --force "$work/src-b" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
file=${3:-}
if [ -z "$file" ]; then
  file=$work/gen-1m.csv
  python3 "${GEN:-../shared/tools/gen_patients_csv.py}" "$file" 1000000 >/dev/null
fi
for side in a b; do
  commit=$([ $side = a ] && echo "$before" || echo "$after")
  git -C "$root" worktree add -f -q --detach "$work/src-$side" "$commit"
  mkdir -p "$work/h-$side"
  cp "$root/bench/reader-ab/Program.cs" "$work/h-$side/"
  cat > "$work/h-$side/h.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup><ProjectReference Include="$work/src-$side/src/OpenGov.Tabular/OpenGov.Tabular.csproj" /></ItemGroup>
</Project>
XML
  dotnet build -c Release -v q "$work/h-$side/h.csproj" >/dev/null
done
for i in $(seq "$passes"); do
  echo "before $before $("$work/h-a/bin/Release/net10.0/h" "$file" 1)"
  echo "after  $after $("$work/h-b/bin/Release/net10.0/h" "$file" 1)"
done
