#!/bin/bash
# QALITA DR: restore one dump written by dump.sh into a PostgreSQL server.
# Used by the in-cluster restore Job and by the tests, unchanged. Inputs (env):
#   PGHOST PGPORT PGUSER PGPASSWORD   target server (a superuser: roles are restored too)
#   DR_DUMP_DIR                       path of one complete dump, or instead
#   PGDUMP_DIR + DR_RESTORE_FROM      dump id, or `latest` (default) = newest complete dump
#   DR_RESTORE_JOBS                   pg_restore parallel jobs (default 2)
#   DR_RESTORE_REPLACE=true           drop databases of the dump that already hold tables
#   DR_RESTORE_PGOPTIONS              extra session settings, e.g. "-c maintenance_work_mem=256MB"
# Order: verify the manifest, check the target, and only then change anything. Existing empty
# databases (e.g. the one the chart creates) are replaced; non-empty ones only with REPLACE.
# Output ends with one `DR_RESTORE_ROWCOUNTS {json}` line per database.
set -Eeuo pipefail

log() { printf '%s restore: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() { log "ERROR: $*"; exit 1; }
on_err() { local rc=$? cmd=${BASH_COMMAND%%$'\n'*}; log "FAILED (exit $rc) at line $1: $cmd"; }
trap 'on_err $LINENO' ERR

jobs=${DR_RESTORE_JOBS:-2}
{ [[ $jobs =~ ^[0-9]+$ ]] && ((10#$jobs >= 1)); } || die "DR_RESTORE_JOBS must be >= 1, got '$jobs'"
replace=${DR_RESTORE_REPLACE:-false}
[[ $replace == true || $replace == false ]] || die "DR_RESTORE_REPLACE must be true or false"
# Session settings for the restore only. None by default: maintenance_work_mem=256MB and
# synchronous_commit=off made no measurable difference (docs/benchmarks.md).
export PGOPTIONS="${DR_RESTORE_PGOPTIONS:-} ${PGOPTIONS:-}"

if [[ -n ${DR_DUMP_DIR:-} ]]; then
  dump=$DR_DUMP_DIR
else
  [[ -n ${PGDUMP_DIR:-} ]] || die "set DR_DUMP_DIR, or PGDUMP_DIR and DR_RESTORE_FROM"
  from=${DR_RESTORE_FROM:-latest}
  if [[ $from == latest ]]; then
    shopt -s nullglob
    LC_COLLATE=C # glob order = id order
    dump=
    for d in "$PGDUMP_DIR"/*/MANIFEST.sha256; do
      name=${d%/MANIFEST.sha256} name=${name##*/}
      if [[ $name =~ ^[0-9]{8}T[0-9]{6}Z$ ]]; then dump=${d%/MANIFEST.sha256}; fi
    done
    shopt -u nullglob
    [[ -n $dump ]] || die "no complete dump in $PGDUMP_DIR"
  else
    [[ $from =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || die "DR_RESTORE_FROM must be a dump id like 20261124T020000Z or 'latest'"
    dump=$PGDUMP_DIR/$from
  fi
fi
[[ -d $dump ]] || die "dump directory $dump does not exist"
dump=$(cd -- "$dump" && pwd)

# 1. Integrity: every file as written by dump.sh, and no file missing or added.
log "verifying $dump"
[[ -s $dump/MANIFEST.sha256 ]] || die "$dump has no manifest: not a complete dump"
(cd -- "$dump" && sha256sum --check --strict --quiet MANIFEST.sha256) ||
  die "checksum verification of $dump failed; target left untouched"
shopt -s globstar nullglob
files=0
for f in "$dump"/**; do if [[ -f $f ]]; then files=$((files + 1)); fi; done
shopt -u globstar nullglob
listed=$(wc -l <"$dump/MANIFEST.sha256")
((files == listed + 1)) || die "$dump holds $((files - 1)) files but its manifest lists $listed"
log "manifest verified: $listed files"

psql_on() { local db=$1; shift; PGDATABASE=$db psql -X -q -A -t -v ON_ERROR_STOP=1 --no-password "$@"; }

# 2. Which databases, by the name each archive carries; and may the target take them?
archives=() names=() blockers=()
for a in "$dump"/databases/*/; do
  a=${a%/}
  toc=$(pg_restore --list "$a") name=
  while IFS= read -r line; do
    if [[ $line =~ ^\;[[:space:]]+dbname:\ (.+)$ ]]; then name=${BASH_REMATCH[1]}; break; fi
  done <<<"$toc"
  [[ -n $name ]] || die "cannot read the database name of $a"
  archives+=("$a") names+=("$name")
  tables=$(psql_on template1 -v db="$name" <<'SQL'
SELECT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gset
\if :exists
\connect :"db"
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)';
\else
SELECT -1;
\endif
SQL
  )
  if ((tables > 0)) && [[ $replace != true ]]; then blockers+=("'$name' ($tables relations)"); fi
done
((${#archives[@]} > 0)) || die "$dump holds no database archive"
((${#blockers[@]} == 0)) ||
  die "target databases are not empty: ${blockers[*]}; set DR_RESTORE_REPLACE=true to drop them. Nothing was changed"
log "target ${PGUSER:-}@${PGHOST:-}:${PGPORT:-} accepts databases: ${names[*]}"

# 3. Roles. Roles that already exist are updated, not an error; any other error is fatal.
# The restoring role keeps its own password: the dump would otherwise reset it to the old
# server's, locking out the credentials this Job (and the chart's Secret) hold.
log "restoring globals"
globals_err=$( {
  echo "SELECT coalesce(rolpassword, '') AS keep_pw FROM pg_authid WHERE rolname = current_user"
  echo '\gset'
  gzip -dc "$dump/globals.sql.gz"
  echo "ALTER ROLE CURRENT_USER PASSWORD :'keep_pw';"
} | psql_on template1 -v ON_ERROR_STOP=0 2>&1 >/dev/null) || die "globals restore failed: $globals_err"
while IFS= read -r line; do
  if [[ $line == *ERROR:* && $line != *"already exists"* ]]; then die "globals restore failed: $line"; fi
  if [[ -n $line ]]; then log "  ${line/ERROR:/tolerated ERROR:}"; fi
done <<<"$globals_err"

# 4. Databases: (re)create each from its archive, in parallel inside each archive.
for i in "${!archives[@]}"; do
  name=${names[i]}
  log "restoring database '$name' with $jobs jobs"
  psql_on template1 -v db="$name" <<<'SET client_min_messages = warning; DROP DATABASE IF EXISTS :"db" WITH (FORCE);'
  pg_restore --create --dbname=template1 --jobs="$jobs" --exit-on-error --no-password "${archives[i]}"
done

# 5. Evidence: exact row counts of every table, one JSON line per database.
for name in "${names[@]}"; do
  psql_on "$name" <<'SQL'
SELECT 'DR_RESTORE_ROWCOUNTS ' || json_build_object('database', current_database(),
  'tables', coalesce(json_object_agg(t, n ORDER BY t), '{}'))
FROM (SELECT format('%s.%s', s.nspname, c.relname) AS t,
             (xpath('/row/n/text()', query_to_xml(
                format('SELECT count(*) AS n FROM ONLY %I.%I', s.nspname, c.relname), false, true, '')))[1]::text::bigint AS n
      FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE c.relkind = 'r' AND s.nspname NOT IN ('pg_catalog', 'information_schema')
        AND s.nspname !~ '^pg_(toast|temp)') counts;
SQL
done
log "restore of $(basename -- "$dump") complete: ${#names[@]} databases"
