#!/usr/bin/env bash
# Makes a local PostgreSQL server available for the Vafa tests (Debian/Ubuntu, run as root).
# Idempotent: installs PostgreSQL only when missing, starts (or creates) a cluster,
# creates the role `vafa` and the database `vafa_test`, and prints the connection
# URL as the last line of stdout (everything else goes to stderr):
#   export VAFA_PG_URL="$(scripts/start-postgres.sh)"
set -euo pipefail

ROLE="${VAFA_PG_ROLE:-vafa}"
PASSWORD="${VAFA_PG_PASSWORD:-vafa}"
DATABASE="${VAFA_PG_DATABASE:-vafa_test}"

log() { echo "start-postgres: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "run me as root (I install packages and start the cluster as the postgres user)"
  exit 1
fi

have_server() {
  command -v pg_lsclusters >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1 &&
    ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1
}

if ! have_server; then
  log "PostgreSQL is not installed; installing it with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y postgresql >&2; then
    log "apt-get install failed; updating the package lists and trying again"
    apt-get update >&2
    apt-get install -y postgresql >&2
  fi
fi

# The newest installed major version and its first cluster (create one when there is none).
VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
CLUSTER_LINE="$(pg_lsclusters --no-header 2>/dev/null | awk -v v="$VERSION" '$1 == v { print; exit }')"
if [ -z "$CLUSTER_LINE" ]; then
  log "creating cluster $VERSION/main"
  pg_createcluster "$VERSION" main >&2
  CLUSTER_LINE="$(pg_lsclusters --no-header | awk -v v="$VERSION" '$1 == v { print; exit }')"
fi
CLUSTER="$(echo "$CLUSTER_LINE" | awk '{ print $2 }')"
PORT="$(echo "$CLUSTER_LINE" | awk '{ print $3 }')"
STATUS="$(echo "$CLUSTER_LINE" | awk '{ print $4 }')"

if [ "$STATUS" != "online" ]; then
  log "starting cluster $VERSION/$CLUSTER on port $PORT"
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  log "the cluster does not accept connections on 127.0.0.1:$PORT; see /var/log/postgresql/"
  exit 1
fi

as_postgres() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -p "$PORT" "$@" >&2; }

# Role and database, created once; the password is (re)set every time.
as_postgres -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') THEN
    CREATE ROLE "${ROLE}" LOGIN;
  END IF;
END
\$\$;
ALTER ROLE "${ROLE}" WITH LOGIN PASSWORD '${PASSWORD}';
-- The key store's destroy runs CHECKPOINT (club-v1 §6; PostgreSQL 15+ grants it
-- through pg_checkpoint), and its raw-bytes test finds the data directory.
DO \$\$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'pg_checkpoint') THEN
    GRANT pg_checkpoint TO "${ROLE}";
  END IF;
  GRANT pg_read_all_settings TO "${ROLE}";
END
\$\$;
SQL
if [ "$(runuser -u postgres -- psql -p "$PORT" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'")" != "1" ]; then
  log "creating database ${DATABASE}"
  runuser -u postgres -- createdb -p "$PORT" -O "$ROLE" "$DATABASE" >&2
fi
as_postgres -d "$DATABASE" -c "GRANT ALL ON SCHEMA public TO \"${ROLE}\"; ALTER SCHEMA public OWNER TO \"${ROLE}\";"

URL="postgres://${ROLE}:${PASSWORD}@127.0.0.1:${PORT}/${DATABASE}"
# A password login over TCP proves the URL works before anyone exports it.
PGPASSWORD="$PASSWORD" psql -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DATABASE" -tAc "SELECT 1" >/dev/null
log "PostgreSQL $VERSION is ready"
echo "$URL"
