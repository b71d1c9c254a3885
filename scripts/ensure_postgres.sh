#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries (initdb, postgres, pg_ctl) exist for the tests. Idempotent.
# The tests start their own throw-away cluster (test/support/postgres.ts); the packaged service is never used.
set -euo pipefail

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

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_postgres: PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin and apt-get is" \
    "unavailable; install the PostgreSQL server (initdb, postgres, pg_ctl) with your package manager." >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "ensure_postgres: PostgreSQL is missing and installing it needs root, but sudo is not available." >&2
    exit 1
  fi
  as_root=(sudo)
fi

install_postgres() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends postgresql
}

echo "ensure_postgres: installing the Debian postgresql package" >&2
if ! install_postgres; then
  # A fresh machine may have no package lists yet.
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  if ! install_postgres; then
    echo "ensure_postgres: apt-get install postgresql failed" >&2
    exit 1
  fi
fi

if found="$(find_initdb)"; then
  echo "ensure_postgres: installed $found"
  exit 0
fi
echo "ensure_postgres: postgresql was installed but initdb is still missing under /usr/lib/postgresql/*/bin" >&2
exit 1
