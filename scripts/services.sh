#!/usr/bin/env bash
# Starts (or stops) the local PostgreSQL and Redis that the service-backed tests and benchmarks use,
# on 127.0.0.1 only. Needs Debian's postgresql and redis-server packages; run as root or with sudo.
set -euo pipefail
cmd=${1:-start}
pgver=$(ls /usr/lib/postgresql/ | sort -n | tail -1)
case "$cmd" in
  start)
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
      pg_createcluster "$pgver" main >/dev/null
    fi
    cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
    pg_ctlcluster $cluster start 2>/dev/null || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
    su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
    if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
      redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null
    fi
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
    echo "services: PostgreSQL $pgver and Redis on 127.0.0.1"
    ;;
  stop)
    cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
    pg_ctlcluster $cluster stop || true
    redis-cli -h 127.0.0.1 shutdown nosave 2>/dev/null || true
    ;;
esac
