#!/bin/bash
# QALITA DR: creates — or brings back to what it must be — the role the WAL receiver and the base
# backups connect as (docs/pitr.md): LOGIN and REPLICATION, nothing else, its password from the
# stack's Secret. Idempotent. A Job, because the chart's initdb scripts only run on an empty data
# directory, and an installed release's never is. Connects as the superuser.
#
# Environment:
#   PGHOST, PGPORT, PGUSER, PGPASSWORD   the release's PostgreSQL, as its superuser   required
#   DR_PITR_ROLE                         the role's name                              required
#   DR_PITR_ROLE_PASSWORD                its password (a secretKeyRef)                required
#   DR_PITR_WAIT_SECONDS                 how long the server may take to answer       default 600
set -Eeuo pipefail
exec 2>&1
log() { printf '%s replication-role: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
: "${DR_PITR_ROLE:?DR_PITR_ROLE is required}" "${DR_PITR_ROLE_PASSWORD:?DR_PITR_ROLE_PASSWORD is required}"

# The primary restarts when its pg_hba.conf changes (the same helm upgrade): wait for it.
deadline=$((SECONDS + ${DR_PITR_WAIT_SECONDS:-600}))
until pg_isready -q -t 5; do
  ((SECONDS < deadline)) || { log "PostgreSQL at ${PGHOST:-}:${PGPORT:-5432} did not answer"; exit 1; }
  sleep 5
done

# The password reaches psql through its environment (\getenv), never an argument, and the
# server's log never sees the statement (log_statement is set off for this session).
psql -d postgres -X -q -v ON_ERROR_STOP=1 -v role="$DR_PITR_ROLE" <<'SQL'
\getenv password DR_PITR_ROLE_PASSWORD
SET log_statement = 'none';
SET log_min_duration_statement = -1;
SET password_encryption = 'scram-sha-256';
-- With pitr.synchronous, commits wait for the receiver, which cannot connect before this role
-- exists: this session's commits wait for the local disk only.
SET synchronous_commit = 'local';
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS CONNECTION LIMIT 5 PASSWORD :'password';
SQL
log "role $DR_PITR_ROLE has LOGIN and REPLICATION, and the Secret's password"
