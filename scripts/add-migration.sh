#!/usr/bin/env bash
# Adds an EF Core migration NAME for both providers (SQLite and PostgreSQL), from the current model.
# usage: scripts/add-migration.sh NAME
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh NAME}
dotnet tool restore >/dev/null
dotnet build src/OpenGov -v quiet -nologo
for p in Sqlite Postgres; do
  dotnet ef migrations add "$name" --no-build --project src/OpenGov --context "${p}OpenGovDb" \
    --output-dir "Storage/Migrations/$p"
done
