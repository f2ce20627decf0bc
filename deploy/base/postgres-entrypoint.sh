#!/bin/sh
# First start: initdb with POSTGRES_USER / POSTGRES_PASSWORD (password logins over TCP), then
# POSTGRES_DB. Every start: exec postgres with the given arguments. Runs as user postgres.
set -eu
if [ "${1:-}" = postgres ]; then
  shift
  : "${PGDATA:=/var/lib/postgresql/data}"
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ]; then
      echo "postgres: POSTGRES_PASSWORD is required for a new database" >&2
      exit 1
    fi
    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
    if [ "$db" != postgres ]; then
      # A private socket and no TCP while the database is created.
      pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k /tmp" -w start >/dev/null
      psql -h /tmp -U "$user" -d postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE \"$db\" OWNER \"$user\""
      pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    echo "postgres: initialised $PGDATA (user $user, database $db)"
  fi
  exec postgres -D "$PGDATA" "$@"
fi
exec "$@"
