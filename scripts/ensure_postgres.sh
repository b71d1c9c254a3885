#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries (initdb, postgres, pg_ctl) exist for the tests. Idempotent.
# The tests start their own throw-away cluster (test/support/postgres.ts); the packaged service is never used.
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"

find_initdb() {
  local candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/postgres" ] && [ -x "$candidate/pg_ctl" ]; then
      echo "$candidate/initdb"
      return 0
    fi
  done
  return 1
}

if found="$(find_initdb)"; then
  echo "ensure_postgres: found $found"
  exit 0
fi
apt_install ensure_postgres --no-install-recommends postgresql
if found="$(find_initdb)"; then
  echo "ensure_postgres: installed $found"
  exit 0
fi
echo "ensure_postgres: postgresql was installed but initdb is still missing under /usr/lib/postgresql/*/bin" >&2
exit 1
