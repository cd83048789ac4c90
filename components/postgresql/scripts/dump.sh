#!/bin/bash
# QALITA DR: logical PostgreSQL backup, replacing Bitnami's pg_dumpall command.
# Runs in the chart's backup CronJob as `/bin/bash -c "<this file>"` with PGUSER, PGPASSWORD (or
# PGPASSFILE), PGHOST, PGPORT and PGDUMP_DIR set by the chart. Only bash, coreutils, gzip and the
# PostgreSQL 15 client tools exist there and the root filesystem is read-only: scratch lives in
# $PGDUMP_DIR. Assumes one writer at a time (the stack sets concurrencyPolicy: Forbid).
#
# Layout of a complete dump $PGDUMP_DIR/<id> (id = UTC time, e.g. 20261124T020000Z):
#   globals.sql.gz           roles and tablespaces (pg_dumpall --globals-only)
#   databases/<dir>/         one pg_dump directory archive per database, restorable in parallel
#   databases/<dir>.rowcounts.json  exact row count of every table, counted in the very snapshot
#                            the archive was dumped from (what the restore drill checks against)
#   dump-info.json           id, times, server version, databases
#   MANIFEST.sha256          sha256sum of every other file; written last
# A dump only gets its final name by an atomic rename once all of the above succeeded, so a
# directory named like an id is always complete; crashed runs leave `.partial-<id>` at most.
#
# Every run that can write $PGDUMP_DIR also leaves its outcome there, in `.qalita-dr-last-run`
# ("<exit code> <epoch seconds> <dump id or ->", replaced atomically): the hourly offsite copy
# relays it to the dead-man's switch, since this pod can't ping (the chart passes it no env or
# volume of ours, and the image has no HTTPS client). Recording never changes the exit code.
set -Eeuo pipefail
umask 027 # dumps hold password hashes: group (the PVC's fsGroup) may read, nobody else

log() { printf '%s dump: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() { log "ERROR: $*"; exit 1; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

record_run() { # EXIT_CODE
  local record=${PGDUMP_DIR:-}/.qalita-dr-last-run
  [[ -n ${PGDUMP_DIR:-} && -d $PGDUMP_DIR && -w $PGDUMP_DIR ]] || return 0
  if ! { printf '%s %s %s\n' "$1" "$(date -u +%s)" "${dump_id:--}" >"$record.tmp" && mv -f -- "$record.tmp" "$record"; } 2>/dev/null; then
    log "WARNING: could not record this run's outcome in $record"
  fi
}
trap 'record_run $?' EXIT # until on_exit takes over, once the dump has an id

keep_days=${DR_KEEP_DAYS:-7}
keep_min=${DR_KEEP_MIN:-3}
jobs=${DR_DUMP_JOBS:-2}
# gzip level of the table data; 1 measured best on size/time (docs/benchmarks.md).
level=${DR_DUMP_COMPRESS:-1}
is_uint "$keep_days" || die "DR_KEEP_DAYS must be a whole number of days, got '$keep_days'"
# The newest complete dump is never pruned, whatever the configuration says.
{ is_uint "$keep_min" && ((10#$keep_min >= 1)); } || die "DR_KEEP_MIN must be >= 1, got '$keep_min'"
{ is_uint "$jobs" && ((10#$jobs >= 1)); } || die "DR_DUMP_JOBS must be >= 1, got '$jobs'"
[[ $level =~ ^[0-9]$ ]] || die "DR_DUMP_COMPRESS must be a gzip level 0-9, got '$level'"
[[ -n ${PGDUMP_DIR:-} && -d $PGDUMP_DIR && -w $PGDUMP_DIR ]] ||
  die "PGDUMP_DIR '${PGDUMP_DIR:-}' is not a writable directory"

id_pattern='^[0-9]{8}T[0-9]{6}Z$'
dump_id=$(date -u +%Y%m%dT%H%M%SZ)
final="$PGDUMP_DIR/$dump_id"
partial="$PGDUMP_DIR/.partial-$dump_id"

on_exit() {
  local rc=$?
  if ((rc != 0)) && [[ -z ${published:-} ]]; then
    rm -rf -- "$partial"
    log "FAILED (exit $rc): removed $partial; no dump $dump_id was written"
  elif ((rc != 0)); then
    log "FAILED (exit $rc) after dump $dump_id was complete"
  fi
  record_run "$rc"
}
trap on_exit EXIT
on_err() { local rc=$? cmd=${BASH_COMMAND%%$'\n'*}; log "command failed (exit $rc) at line $1: $cmd"; }
trap 'on_err $LINENO' ERR
trap 'exit 130' INT
trap 'exit 143' TERM
# Writing to the snapshot session after it died: fail through on_exit, not die silently.
trap 'exit 141' PIPE

psql_admin() { psql -X -q -A -t -v ON_ERROR_STOP=1 --no-password -d postgres "$@"; }

# Exact row counts of every table, as one JSON line: the same tables and shape as restore.sh's
# DR_RESTORE_ROWCOUNTS evidence, plus the snapshot's time; one statement, answered with one line.
read -r -d '' row_counts_sql <<'SQL' || true
SELECT json_build_object('database', current_database(),
  'taken_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'tables', coalesce(json_object_agg(t, n ORDER BY t), '{}'))
FROM (SELECT format('%s.%s', s.nspname, c.relname) AS t,
             (xpath('/row/n/text()', query_to_xml(
                format('SELECT count(*) AS n FROM ONLY %I.%I', s.nspname, c.relname), false, true, '')))[1]::text::bigint AS n
      FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE c.relkind = 'r' AND s.nspname NOT IN ('pg_catalog', 'information_schema')
        AND s.nspname !~ '^pg_(toast|temp)') counts;
SQL

# Leftovers of crashed runs hold a full dump's worth of space: free it before dumping again.
for stale in "$PGDUMP_DIR"/.partial-*; do
  [[ -e $stale ]] || continue
  log "removing leftover of an interrupted run: $stale"
  rm -rf -- "$stale"
done
[[ ! -e $final ]] || die "$final already exists"

log "dump $dump_id of ${PGUSER:-}@${PGHOST:-}:${PGPORT:-} into $final (jobs=$jobs, gzip level=$level)"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p -- "$partial/databases"

# Role passwords live in pg_authid, which only a superuser reads (the chart's default PGUSER is
# postgres; with auth.enablePostgresUser=false it is the app user): dump roles without them then.
globals_opts=()
if [[ $(psql_admin -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") != t ]]; then
  globals_opts+=(--no-role-passwords)
  log "WARNING: ${PGUSER:-} is not a superuser: roles are dumped without their passwords"
fi
pg_dumpall --globals-only --no-password "${globals_opts[@]}" | gzip -c >"$partial/globals.sql.gz"
log "globals (roles, tablespaces) dumped"

# OIDs and directory names are safe to handle in bash; names are fetched one by one and passed
# through PGDATABASE, which libpq never parses as a connection string.
listing=$(psql_admin -F ' ' -c "
  SELECT oid, CASE WHEN datname ~ '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' THEN datname ELSE 'oid-' || oid END
  FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname")
[[ -n $listing ]] || die "no database to dump"
mapfile -t databases <<<"$listing"
oids=()
for row in "${databases[@]}"; do
  oid=${row%% *} dir=${row#* }
  name=$(psql_admin -c "SELECT datname FROM pg_database WHERE oid = $oid")
  # Row counts in the very snapshot pg_dump dumps: a session exports its snapshot and stays open
  # (an exported snapshot lives as long as its transaction), counts every table through it —
  # keeping each table share-locked, as pg_dump does, so none is dropped before pg_dump reads it —
  # then pg_dump reads through the same snapshot. pg_stat_activity shows it as qalita-dr-dump.
  coproc HOLDER { PGDATABASE=$name PGAPPNAME=qalita-dr-dump exec psql -X -q -A -t -v ON_ERROR_STOP=1 --no-password; }
  # shellcheck disable=SC2153 # coproc HOLDER sets HOLDER_PID and HOLDER
  holder_pid=$HOLDER_PID holder_in=${HOLDER[1]} holder_out=${HOLDER[0]}
  printf '%s\n' 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;' 'SELECT pg_export_snapshot();' >&"$holder_in"
  snapshot=
  IFS= read -r -u "$holder_out" snapshot || true
  [[ $snapshot =~ ^[0-9A-F]+-[0-9A-F]+-[0-9]+$ ]] || die "could not export a snapshot of database '$name'"
  printf '%s\n' "$row_counts_sql" >&"$holder_in"
  counts=
  IFS= read -r -u "$holder_out" counts || true
  [[ $counts == '{'*'}' ]] || die "could not count the rows of database '$name'"
  PGDATABASE=$name pg_dump --snapshot="$snapshot" --format=directory --jobs="$jobs" --compress="$level" \
    --no-password --file="$partial/databases/$dir"
  printf '%s\n' 'COMMIT;' '\q' >&"$holder_in"
  wait "$holder_pid" || die "the snapshot session of database '$name' failed"
  printf '%s\n' "$counts" >"$partial/databases/$dir.rowcounts.json"
  oids+=("$oid")
  log "database '$name' dumped ($(du -sh -- "$partial/databases/$dir" | cut -f1))"
done

oid_list=$(IFS=,; echo "${oids[*]}")
psql_admin -v dump_id="$dump_id" -v started="$started" -v client="$(pg_dump --version)" \
  -v jobs="$jobs" -v level="$level" -v oid_list="$oid_list" >"$partial/dump-info.json" <<'SQL'
SELECT json_build_object(
  'dump_id', :'dump_id', 'started_at', :'started',
  'finished_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'server_version', current_setting('server_version'), 'client', :'client',
  'format', 'pg_dump directory, gzip level ' || :'level', 'dump_jobs', (:'jobs')::int,
  'databases', json_agg(json_build_object('name', datname,
    'dir', 'databases/' || CASE WHEN datname ~ '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' THEN datname
                                ELSE 'oid-' || oid END) ORDER BY datname))
FROM pg_database WHERE oid = ANY (string_to_array(:'oid_list', ',')::oid[]);
SQL

# pg_dump -Fd creates each archive directory 0700 whatever the umask: the offsite copy and the
# restore Job run as another uid with the PVC's group (fsGroup 1001) and could not enter them.
chmod -R g+rX -- "$partial"

# Manifest over every file, relative paths, so `sha256sum -c` can run from the dump directory.
(
  cd -- "$partial"
  shopt -s globstar nullglob
  files=()
  for f in **; do if [[ -f $f ]]; then files+=("$f"); fi; done
  sha256sum -- "${files[@]}" >MANIFEST.sha256.tmp
  # pg_dump fsyncs its own files; make ours durable too before the rename publishes them.
  sync -- globals.sql.gz dump-info.json MANIFEST.sha256.tmp
  mv -- MANIFEST.sha256.tmp MANIFEST.sha256
  sync -- MANIFEST.sha256 .
)
mv -T -- "$partial" "$final"
published=1
sync -- "$PGDUMP_DIR"
log "dump $dump_id complete: $(du -sh -- "$final" | cut -f1), $(wc -l <"$final/MANIFEST.sha256") files"

# Prune: complete dumps (id-named, with a manifest) older than keep_days, except the newest keep_min.
# Age comes from the id, not mtime, so copying dumps around does not make them look new.
shopt -s nullglob
LC_COLLATE=C # glob order = id order = age order
complete=()
for d in "$PGDUMP_DIR"/*/; do
  d=${d%/} name=${d##*/}
  [[ $name =~ $id_pattern ]] || continue
  if [[ -f $d/MANIFEST.sha256 ]]; then complete+=("$name"); else log "WARNING: $d has no manifest; left alone"; fi
done
cutoff=$(($(date -u +%s) - 10#$keep_days * 86400))
pruned=0
for ((i = 0; i < ${#complete[@]} - keep_min; i++)); do
  name=${complete[i]}
  [[ $name != "$dump_id" ]] || continue # a misdated (future) dump must not push ours out
  taken=$(date -u -d "${name:0:4}-${name:4:2}-${name:6:2}T${name:9:2}:${name:11:2}:${name:13:2}Z" +%s)
  if ((taken < cutoff)); then
    log "pruning $name (older than $keep_days days)"
    rm -rf -- "${PGDUMP_DIR:?}/$name"
    pruned=$((pruned + 1))
  fi
done
log "done: $((${#complete[@]} - pruned)) complete dumps kept, $pruned pruned"
