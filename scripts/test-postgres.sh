#!/usr/bin/env bash
# Starts the local PostgreSQL cluster (Debian's packaging) and creates the
# `parley` role the tests use: postgres://parley:parley@127.0.0.1:5432/postgres.
# Needs root (or the postgres user). Idempotent.
set -euo pipefail

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; fi
}

cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
  echo "scripts/test-postgres.sh: no PostgreSQL cluster; install the postgresql package" >&2
  exit 1
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != online ]; then
  pg_ctlcluster "$version" "$name" start
fi
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.2
done
as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -qc "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'parley') THEN
    CREATE ROLE parley LOGIN SUPERUSER PASSWORD 'parley';
  END IF;
END \$\$;"
echo "PostgreSQL $version/$name is up on port $port; test role parley ready."
