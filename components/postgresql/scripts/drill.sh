#!/bin/bash
# QALITA DR: the PostgreSQL restore drill. Restores the newest complete dump into a throwaway
# PostgreSQL started in this pod — never the release's — checks what came back, and measures the
# dump's age (RPO) and how long getting it back took (RTO). Runs in the release's PostgreSQL image
# (bash, coreutils, gzip, the server and client tools; no curl), as the pod's uid, on a read-only
# root filesystem: the throwaway server lives in $DR_DRILL_DIR (an emptyDir), listens on a Unix
# socket there only (no TCP at all), and is stopped and deleted whatever happens.
#
# Environment:
#   DR_DRILL_DIR         scratch for the throwaway server                          required
#   DR_DRILL_SOURCE      cold: the dump drill-fetch.sh left in DR_FETCH_DIR         default cold
#                        pvc: the newest complete dump in PGDUMP_DIR (read-only)
#   DR_FETCH_DIR, PGDUMP_DIR   as above
#   DR_RESTORE_JOBS      pg_restore parallel jobs                                   default 2
#   DR_PUSHGATEWAY_URL   http://host[:port][/path] of a Prometheus Pushgateway: metrics pushed when set
#   DR_DRILL_REPORT_DIR  where the outcome is left for the report container (drill-report.sh):
#                        exit-code (written last), result.json, summary; drill.sh then exits 0
#
# Checks, in order, the first failure ending the drill: the dump was fetched; every archive has
# the row counts dump.sh recorded; the manifest (restore.sh, before it restores anything); the
# restore; each table's row count against the recorded one; the roles of globals.sql.gz exist;
# pg_amcheck finds no corruption. Exit 1 when a check fails, 2 when the drill passed but its
# metrics could not be pushed — or, with DR_DRILL_REPORT_DIR, that code left in exit-code and exit
# 0: in the pod this is an init container (the image has no HTTP client to reach the Kubernetes
# API), and the report container after it ends the Job with the drill's code. The last line of
# output is always
#   DRILL_RESULT {"outcome","source","dumpId","dumpAgeSeconds","downloadSeconds","restoreSeconds",
#                 "bytes","tables","mismatches","amcheckErrors","pushed","reason","finishedAt"}
# with null for what was not measured.
set -Eeuo pipefail
exec 2>&1 # one ordered stream: DRILL_RESULT stays the last line

log() { printf '%s drill: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
now_ms() { date +%s%3N; }
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

source=${DR_DRILL_SOURCE:-cold} fetch_ms=
jobs=${DR_RESTORE_JOBS:-2}
here=$(dirname "${BASH_SOURCE[0]}")
server='' # set once DR_DRILL_DIR is known good: finish removes it
started_ms=$(now_ms)
# What DRILL_RESULT reports; empty = not measured (null).
reason='' dump_id='' dump_age='' download='' restore_seconds='' bytes='' tables='' mismatches='' amcheck_errors='' pushed=''

fail() { reason=$*; exit 1; }
on_err() { local rc=$? cmd=${BASH_COMMAND%%$'\n'*}; [[ -n $reason ]] || reason="command failed (exit $rc) at line $1: $cmd"; }
trap 'on_err $LINENO' ERR
trap 'reason=${reason:-terminated (SIGTERM: the Job deadline?)}; exit 143' TERM

stop_server() {
  [[ -n $server && -f $server/data/postmaster.pid ]] || return 0
  pg_ctl -D "$server/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
    pg_ctl -D "$server/data" -m immediate -w -t 60 stop >/dev/null 2>&1
}

# ── The end of every run: nothing left behind, the result pushed and printed ────────────────
json_string() {
  local s=${1:0:2000}
  s=${s//\\/\\\\}
  s=${s//\"/\\\"} s=${s//$'\n'/\\n} s=${s//$'\t'/\\t}
  printf '"%s"' "$(printf '%s' "$s" | tr -d '\000-\037')"
}
json_number() { if [[ -n $1 ]]; then printf '%s' "$1"; else printf null; fi; }

metrics() { # SUCCESS: the Pushgateway text format; what was not measured is left out
  local pair metric variable value
  printf '# TYPE qalita_dr_drill_success gauge\nqalita_dr_drill_success %s\n' "$1"
  printf '# TYPE qalita_dr_drill_last_run_timestamp_seconds gauge\nqalita_dr_drill_last_run_timestamp_seconds %s\n' "$(seconds "$(now_ms)")"
  for pair in restore_seconds:restore_seconds download_seconds:download dump_age_seconds:dump_age mismatches:mismatches bytes:bytes; do
    metric=${pair%%:*} variable=${pair#*:}
    value=${!variable}
    [[ -z $value ]] || printf '# TYPE qalita_dr_drill_%s gauge\nqalita_dr_drill_%s %s\n' "$metric" "$metric" "$value"
  done
}

# One HTTP PUT with bash's /dev/tcp: the image has no HTTP client. PUT replaces the whole group,
# so a failed drill never leaves the previous run's durations behind.
http_put() { # HOST PORT PATH BODY
  local fd status
  exec {fd}<>"/dev/tcp/$1/$2"
  printf 'PUT %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$3" "$1" "$2" "${#4}" "$4" >&"$fd"
  IFS= read -r status <&"$fd" || true
  exec {fd}>&-
  [[ $status =~ ^HTTP/1\.[01]\ 2[0-9][0-9] ]] || { echo "${status%$'\r'}"; return 1; }
}

push_metrics() { # SUCCESS
  local url=${DR_PUSHGATEWAY_URL%/} answer
  if [[ ! $url =~ ^http://([A-Za-z0-9.-]+)(:([0-9]{1,5}))?(/[A-Za-z0-9._~/-]*)?$ ]]; then
    log "WARNING: DR_PUSHGATEWAY_URL must be http://host[:port][/path]; metrics not pushed"
    return 1
  fi
  local host=${BASH_REMATCH[1]} port=${BASH_REMATCH[3]:-80} path="${BASH_REMATCH[4]%/}/metrics/job/qalita_dr_drill/element/postgresql"
  # /dev/tcp has no timeout of its own: bound the whole exchange. LC_ALL=C: Content-Length in
  # bytes. The text format must end with a newline, which $(…) strips.
  if answer=$(LC_ALL=C timeout 30 bash -c "$(declare -f http_put); http_put \"\$@\"" push "$host" "$port" "$path" "$(metrics "$1")"$'\n' 2>&1); then
    log "metrics pushed to $url"
  else
    log "WARNING: metrics not pushed to $url: ${answer:-no answer}"
    return 1
  fi
}

# Leaves the outcome for the report container; exit-code last, so that its presence means all is there.
leave_report() { # CODE RESULT SUMMARY
  local dir=$DR_DRILL_REPORT_DIR
  printf '%s\n' "$2" >"$dir/result.json" && printf '%s\n' "$3" >"$dir/summary" && printf '%s\n' "$1" >"$dir/exit-code"
}

finish() {
  local rc=$? outcome=success code=0 summary result
  trap - ERR
  set +e
  stop_server
  if [[ -n $server && -s $server/server.log && $rc != 0 ]]; then log "throwaway server's log (tail):" && tail -n 20 -- "$server/server.log"; fi
  if [[ -n $server ]]; then rm -rf -- "$server"; fi
  unset LD_PRELOAD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP # their files went with the server
  if ((rc != 0)) || [[ -n $reason ]]; then
    outcome=failure code=1 reason=${reason:-exit $rc}
    summary="FAILED: $reason"
  else
    summary="passed: dump $dump_id, ${dump_age}s old${fetch_ms:+, fetched in ${download}s}, restored in ${restore_seconds}s; ${tables} tables match, no corruption"
  fi
  log "$summary"
  if [[ -n ${DR_PUSHGATEWAY_URL:-} ]]; then
    if push_metrics "$([[ $outcome == success ]] && echo 1 || echo 0)"; then pushed=true; else pushed=false code=$((code == 0 ? 2 : code)); fi
  fi
  result=$(printf '{"outcome":"%s","source":"%s","dumpId":%s,"dumpAgeSeconds":%s,"downloadSeconds":%s,"restoreSeconds":%s,"bytes":%s,"tables":%s,"mismatches":%s,"amcheckErrors":%s,"pushed":%s,"reason":%s,"finishedAt":"%s"}' \
    "$outcome" "$source" "$([[ -n $dump_id ]] && json_string "$dump_id" || echo null)" "$(json_number "$dump_age")" \
    "$(json_number "$download")" "$(json_number "$restore_seconds")" "$(json_number "$bytes")" "$(json_number "$tables")" \
    "$(json_number "$mismatches")" "$(json_number "$amcheck_errors")" "$(json_number "$pushed")" \
    "$([[ $outcome == failure ]] && json_string "$reason" || echo null)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
  if [[ -n ${DR_DRILL_REPORT_DIR:-} ]]; then
    # An Event's message is one short line: the summary, cut like the reason.
    summary=$(printf '%s' "${summary:0:1000}" | tr -d '\000-\037')
    if leave_report "$code" "$result" "$summary"; then
      code=0
    else
      log "WARNING: could not leave the outcome in DR_DRILL_REPORT_DIR '$DR_DRILL_REPORT_DIR': no status, Event or heartbeat, and the Job fails"
    fi
  fi
  printf 'DRILL_RESULT %s\n' "$result"
  exit "$code"
}
trap finish EXIT

[[ -n ${DR_DRILL_DIR:-} && -d $DR_DRILL_DIR && -w $DR_DRILL_DIR ]] || fail "DR_DRILL_DIR '${DR_DRILL_DIR:-}' is not a writable directory"
server=$DR_DRILL_DIR/server

# ── 1. The dump: which one, how old, how big, how long it took to fetch ─────────────────────
{ [[ $jobs =~ ^[0-9]+$ ]] && ((10#$jobs >= 1)); } || fail "DR_RESTORE_JOBS must be >= 1, got '$jobs'"
id_pattern='^[0-9]{8}T[0-9]{6}Z$'
case $source in
  cold)
    fetched=${DR_FETCH_DIR:-}
    [[ -n $fetched ]] || fail "DR_FETCH_DIR is required with DR_DRILL_SOURCE=cold"
    read -r fetch_status fetch_ms <"$fetched/fetch-result" || true
    [[ ${fetch_status:-} =~ ^[0-9]+$ && ${fetch_ms:-} =~ ^[0-9]+$ ]] || fail "the fetch step left no result in $fetched"
    download=$(seconds "$fetch_ms")
    ((fetch_status == 0)) || fail "fetching the newest dump from cold storage failed (exit $fetch_status): $(tail -n 1 -- "$fetched/fetch.log")"
    dump=$fetched/dump dump_id=$(<"$fetched/dump-id")
    ;;
  pvc)
    [[ -d ${PGDUMP_DIR:-} ]] || fail "PGDUMP_DIR '${PGDUMP_DIR:-}' is not a directory"
    shopt -s nullglob
    LC_COLLATE=C # glob order = id order
    for manifest in "$PGDUMP_DIR"/*/MANIFEST.sha256; do
      name=${manifest%/MANIFEST.sha256} name=${name##*/}
      if [[ $name =~ $id_pattern ]]; then dump_id=$name; fi
    done
    shopt -u nullglob
    [[ -n $dump_id ]] || fail "no complete dump in $PGDUMP_DIR"
    dump=$PGDUMP_DIR/$dump_id download=0.000
    ;;
  *) fail "DR_DRILL_SOURCE must be cold or pvc, got '$source'" ;;
esac
[[ $dump_id =~ $id_pattern ]] || fail "'$dump_id' is not a dump id"
# The id is the dump's start, just before its snapshots: the age of its data, at most.
taken=$(date -u -d "${dump_id:0:4}-${dump_id:4:2}-${dump_id:6:2}T${dump_id:9:2}:${dump_id:11:2}:${dump_id:13:2}Z" +%s)
dump_age=$((started_ms / 1000 - taken))
bytes=$(du -sb -- "$dump" | cut -f1)
log "drilling dump $dump_id from $source: $bytes bytes, ${dump_age}s old${fetch_ms:+, fetched in ${download}s}"

shopt -s nullglob
archives=("$dump"/databases/*/)
shopt -u nullglob
((${#archives[@]} > 0)) || fail "dump $dump_id holds no database archive"
for archive in "${archives[@]}"; do
  [[ -f ${archive%/}.rowcounts.json ]] ||
    fail "dump $dump_id records no row counts for ${archive#"$dump"/} (written before dump.sh recorded them?): nothing to check the restore against"
done

# ── 2. The throwaway server: this pod's uid, data and socket in scratch, no TCP ──────────────
rm -rf -- "$server" # a previous run's, if any: ours to remove
mkdir -p -- "$server"
chmod 700 -- "$server"
# initdb needs a passwd entry for its uid. The pod's uid has none in Bitnami's image, which ships
# nss_wrapper for exactly this (ENV NSS_WRAPPER_LIB; its entrypoint's postgresql_enable_nss_wrapper).
if ! getent passwd "$(id -u)" >/dev/null 2>&1; then
  [[ -n ${NSS_WRAPPER_LIB:-} && -e $NSS_WRAPPER_LIB ]] ||
    fail "uid $(id -u) has no passwd entry, which initdb needs, and NSS_WRAPPER_LIB names no nss_wrapper library"
  printf 'postgres:x:%s:%s:drill:%s:/bin/false\n' "$(id -u)" "$(id -g)" "$server" >"$server/passwd"
  printf 'postgres:x:%s:\n' "$(id -g)" >"$server/group"
  export LD_PRELOAD=$NSS_WRAPPER_LIB NSS_WRAPPER_PASSWD=$server/passwd NSS_WRAPPER_GROUP=$server/group
fi
initdb -D "$server/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions >/dev/null
cat >>"$server/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$server'
unix_socket_permissions = 0700
CONF
pg_ctl -D "$server/data" -l "$server/server.log" -w -t 120 start >/dev/null
unset PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGOPTIONS
export PGHOST=$server PGPORT=5432 PGUSER=postgres
log "throwaway PostgreSQL $(postgres --version | awk '{print $3}') up (socket only, in $server)"

# ── 3. The restore: restore.sh, as a real restore runs it (manifest first) ──────────────────
restore_started=$(now_ms)
if ! DR_DUMP_DIR=$dump DR_RESTORE_JOBS=$jobs bash "$here/restore.sh" | tee "$server/restore.log"; then
  # Its last error, with the files sha256sum found altered or pg_restore's first error.
  error=$(grep -E ' restore: (ERROR|FAILED)' "$server/restore.log" | tail -n 1 | sed 's/^.* restore: //') || true
  details=$({
    grep -E ': FAILED$' "$server/restore.log" | sed 's/^.*[[:space:]]\([^[:space:]]*: FAILED\)$/\1/'
    grep -m 1 '^pg_restore: error:' "$server/restore.log"
  } | head -n 3 | paste -sd ',' -) || true
  fail "restore.sh failed: ${error:-see the log above}${details:+ ($details)}"
fi
restore_seconds=$(seconds $(($(now_ms) - restore_started)))
log "restored in ${restore_seconds}s"

psql_in() { local db=$1; shift; PGDATABASE=$db psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# ── 4. Row counts: each table as dump.sh counted it in the dump's own snapshot ───────────────
tables=0 mismatches=0 differing=()
for archive in "${archives[@]}"; do
  record=$(<"${archive%/}.rowcounts.json")
  db=$(psql_in postgres -v record="$record" <<<"SELECT (:'record')::json->>'database';")
  # One line a table, recorded or restored: "<t|f> TAB <table>: <n> rows recorded, <m> restored".
  comparison=$(psql_in "$db" -F $'\t' -v record="$record" <<'SQL'
WITH recorded AS (SELECT key AS t, value::bigint AS n FROM json_each_text((:'record')::json -> 'tables')),
restored AS (
  SELECT format('%s.%s', s.nspname, c.relname) AS t,
         (xpath('/row/n/text()', query_to_xml(
            format('SELECT count(*) AS n FROM ONLY %I.%I', s.nspname, c.relname), false, true, '')))[1]::text::bigint AS n
  FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
  WHERE c.relkind = 'r' AND s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname !~ '^pg_(toast|temp)')
SELECT r.n IS NOT DISTINCT FROM a.n,
       format('%s: %s rows recorded, %s restored', coalesce(r.t, a.t), coalesce(r.n::text, 'no'), coalesce(a.n::text, 'no'))
FROM recorded r FULL JOIN restored a ON a.t = r.t ORDER BY coalesce(r.t, a.t);
SQL
  ) || fail "could not compare the row counts of database '$db' with the dump's record"
  while IFS=$'\t' read -r same detail; do
    [[ -n $same ]] || continue
    tables=$((tables + 1))
    if [[ $same != t ]]; then mismatches=$((mismatches + 1)) differing+=("$db: $detail"); fi
  done <<<"$comparison"
done
((mismatches == 0)) || fail "row counts differ from those recorded in the dump's snapshot: $(printf '%s\n' "${differing[@]:0:10}" | paste -sd ',' -)"
log "row counts match: $tables tables"

# ── 5. Roles: every role of globals.sql.gz is there ─────────────────────────────────────────
mapfile -t wanted < <(gzip -dc -- "$dump/globals.sql.gz" | sed -n 's/^CREATE ROLE \(.*\);$/\1/p')
declare -A present=()
roles=$(psql_in postgres -c "SELECT quote_ident(rolname) FROM pg_roles")
while IFS= read -r role; do present[$role]=1; done <<<"$roles"
missing=()
for role in "${wanted[@]}"; do
  [[ -n ${present[$role]:-} ]] || missing+=("$role")
done
((${#missing[@]} == 0)) || fail "roles of the dump missing after the restore: ${missing[*]}"
log "roles present: ${#wanted[@]}"

# ── 6. Corruption: pg_amcheck over every restored database, heap and B-tree indexes ─────────
amcheck_log=$server/amcheck.log
if pg_amcheck --all --install-missing --heapallindexed >"$amcheck_log" 2>&1; then
  amcheck_errors=0
else
  amcheck_errors=$(grep -cE '^(heap table|btree index|heap relation|pg_amcheck: error)' "$amcheck_log" || true)
  ((amcheck_errors > 0)) || amcheck_errors=1
  cat -- "$amcheck_log"
  fail "pg_amcheck reports $amcheck_errors problem(s): $(head -n 2 -- "$amcheck_log" | paste -sd ' ' -)"
fi
log "pg_amcheck: no corruption"
