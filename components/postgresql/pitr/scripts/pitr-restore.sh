#!/bin/bash
# QALITA DR: brings the release's PostgreSQL back to a point in time (docs/pitr.md). Runs in the
# release's PostgreSQL image as its uid, with the primary's data PVC mounted and the StatefulSet
# scaled to 0: prepares a new data directory from the newest base backup complete by the target
# (pitr-lib.sh › pitr_choose), runs the recovery in this pod — restore_command = wal-fetch.sh,
# recovery_target_time, recovery_target_action = promote — on a Unix socket of its own, then
# shuts the server down cleanly and swaps the data directories: the StatefulSet starts on a
# promoted, consistent cluster. The recovery runs here because Bitnami's start-up removes
# recovery.signal (libpostgresql.sh › postgresql_clean_from_restart): there it would be a crash
# recovery that ignores the target.
#
# A target past the end of the archive (the primary died before it): recovery stops where the WAL
# ends, PostgreSQL refuses ("recovery ended before configured recovery target was reached"), and
# when no later segment exists the restore runs again to the end of the WAL — everything the
# archive holds is before the target. A hole in the WAL fails the restore instead, naming it.
#
# Environment:
#   DR_PITR_TARGET       RFC 3339 instant, or "latest"                              required
#   DR_PITR_DIR          the archive: the PVC (read-only) or what pitr-fetch.sh left   required
#   DR_PITR_DATA_MOUNT   the data PVC's mount                          default /bitnami/postgresql
#   DR_PITR_SLOT         the receiver's slot, created on the restored server (it holds none)
#   PGHOST, PGPORT       the release's Service: the restore refuses to run while it answers
# The data directory is $DR_PITR_DATA_MOUNT/data (Bitnami's PGDATA); the one it replaces stays as
# data.before-pitr-<time>. The last line of output is
#   PITR_RESULT {"outcome","target","generation","baseBackup","reachedTarget","lastCommit",
#                "copySeconds","replaySeconds","walFiles","reason"}
set -Eeuo pipefail
exec 2>&1
PITR_WHO='pitr-restore'
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=pitr-lib.sh
source "$here/pitr-lib.sh"

target=${DR_PITR_TARGET:?DR_PITR_TARGET is required}
archive=${DR_PITR_DIR:?DR_PITR_DIR is required}
mount=${DR_PITR_DATA_MOUNT:-/bitnami/postgresql}
stamp=$(pitr_now_id)
work=$mount/.qalita-dr-pitr
new=$work/data
# Scratch of this run (the pod's /tmp, an emptyDir): the server's config, socket and log.
scratch=$(mktemp -d)
socket=$scratch/socket
generation='' backup='' reached='' last_commit='' copy_s='' replay_s='' wal_files='' reason=''

json() { if [[ -n $1 ]]; then printf '"%s"' "$1"; else printf null; fi; }
finish() {
  local rc=$? outcome=success
  trap - ERR
  set +e
  if [[ -f $new/postmaster.pid ]]; then pg_ctl -D "$new" -m immediate -w -t 60 stop >/dev/null 2>&1; fi
  if ((rc != 0)); then
    outcome=failure reason=${reason:-exit $rc}
    [[ ! -s "$scratch/pitr-server.log" ]] || { pitr_log "recovering server's log (tail):" && tail -n 25 "$scratch/pitr-server.log"; }
  fi
  rm -rf -- "$scratch"
  printf 'PITR_RESULT {"outcome":"%s","target":"%s","generation":%s,"baseBackup":%s,"reachedTarget":%s,"lastCommit":%s,"copySeconds":%s,"replaySeconds":%s,"walFiles":%s,"reason":%s}\n' \
    "$outcome" "$target" "$(json "$generation")" "$(json "$backup")" "${reached:-null}" "$(json "$last_commit")" "${copy_s:-null}" "${replay_s:-null}" "${wal_files:-null}" "$(json "${reason//\"/\'}")"
  exit "$rc"
}
trap finish EXIT
on_err() { local rc=$? cmd=${BASH_COMMAND%%$'\n'*}; [[ -n $reason ]] || reason="command failed (exit $rc) at line $1: $cmd"; }
trap 'on_err $LINENO' ERR
fail() { reason=$*; pitr_log "$*"; exit 1; }

if [[ -n ${PGHOST:-} ]]; then
  # 0: accepting connections, 1: rejecting them (starting up, shutting down): a server is there.
  ready=0
  pg_isready -q -t 3 -U postgres || ready=$?  # -U: the uid has no passwd entry to default to
  if ((ready <= 1)); then
    fail "PostgreSQL answers at $PGHOST:${PGPORT:-5432}: scale the StatefulSet to 0 before restoring over its data (docs/pitr.md)"
  fi
fi
[[ -d $mount && -w $mount ]] || fail "the data PVC is not mounted writable at $mount"

choice=$(pitr_choose "$archive" "$target" 2>"$scratch/pitr-choose.err") || fail "$(cat "$scratch/pitr-choose.err")"
read -r generation backup <<<"$choice"
wal_dir=$archive/$generation/wal
pitr_log "restoring to $target: generation $generation, base backup $backup, WAL from $wal_dir"

now_ms() { date +%s%3N; }
since() { local ms=$(($(now_ms) - $1)); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }

# ── The new data directory, from the base backup ───────────────────────────────────────────
started=$(now_ms)
source_dir=$archive/$generation/base/$backup
# Every file against the manifest (and the WAL the backup holds, parsed) before anything is restored.
pg_verifybackup --quiet --ignore=pitr-backup.json "$source_dir" || fail "base backup $backup does not match its manifest"
rm -rf -- "$new"
mkdir -p "$new"
if [[ $source_dir == "$work"/* ]]; then
  # Fetched from the bucket onto this very PVC (pitr-fetch.sh): moved, not copied twice.
  mv -- "$source_dir"/* "$new/"
else
  cp -a -- "$source_dir/." "$new/"
fi
rm -f -- "$new/pitr-backup.json" "$new/backup_manifest" "$new/postmaster.pid" "$new/standby.signal"
chmod 0700 "$new"
copy_s=$(since "$started")
segment_bytes=$(pg_controldata "$new" | sed -n 's/^Bytes per WAL segment: *//p')

# ── Recovery, in this pod ───────────────────────────────────────────────────────────────────
mkdir -p "$socket"
chmod 0700 "$socket"
printf 'local all all trust\n' >"$scratch/pitr-hba.conf"
: >"$scratch/pitr-ident.conf"
export DR_PITR_WAL_DIR=$wal_dir DR_PITR_SEGMENT_BYTES=$segment_bytes DR_PITR_MISSING_LOG="$scratch/pitr-missing"
write_config() { # WITH_TARGET (yes/no)
  cat >"$scratch/pitr.conf" <<EOF
listen_addresses = ''
port = 5432
unix_socket_directories = '$socket'
hba_file = '$scratch/pitr-hba.conf'
ident_file = '$scratch/pitr-ident.conf'
hot_standby = off
archive_mode = off
max_wal_size = '1GB'
restore_command = '/bin/bash $here/wal-fetch.sh "%f" "%p"'
recovery_target_action = 'promote'
recovery_target_inclusive = on
EOF
  # A numeric offset: while the configuration is read, the server knows no zone abbreviation,
  # and refuses "…Z" as an invalid recovery_target_time.
  if [[ $1 == yes ]]; then echo "recovery_target_time = '$(date -u -d "$target" '+%Y-%m-%d %H:%M:%S.%6N+00')'" >>"$scratch/pitr.conf"; fi
}
# initdb and some tools want a passwd entry for the uid; Bitnami's image ships nss_wrapper for it.
if ! getent passwd "$(id -u)" >/dev/null 2>&1 && [[ -n ${NSS_WRAPPER_LIB:-} && -e $NSS_WRAPPER_LIB ]]; then
  echo "postgres:x:$(id -u):$(id -g):PostgreSQL:$new:/bin/false" >"$scratch/pitr-passwd"
  echo "postgres:x:$(id -g):" >"$scratch/pitr-group"
  export LD_PRELOAD=$NSS_WRAPPER_LIB NSS_WRAPPER_PASSWD="$scratch/pitr-passwd" NSS_WRAPPER_GROUP="$scratch/pitr-group"
fi
sql() { psql -h "$socket" -p 5432 -U postgres -d postgres -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }
# Succeeds once the server has promoted, fails when it exits first (a FATAL in recovery). pg_ctl -w
# alone returns as soon as recovery starts: with hot_standby off the postmaster reports "standby"
# status right away (postmaster.c). The Job's deadline bounds the wait.
recover() { # WITH_TARGET
  write_config "$1"
  touch "$new/recovery.signal"
  : >"$scratch/pitr-missing"
  # No synchronous standby, whatever postgresql.auto.conf says: no receiver streams from this server.
  pg_ctl -D "$new" -o "-c config_file=$scratch/pitr.conf -c synchronous_standby_names=''" -l "$scratch/pitr-server.log" -w -t 600 start >/dev/null || return 1
  until [[ $(sql "SELECT pg_is_in_recovery()" 2>/dev/null) == f ]]; do
    pg_ctl -D "$new" status >/dev/null 2>&1 || return 1
    sleep 0.2
  done
}
started=$(now_ms)
if [[ $target == latest ]]; then
  recover no
  reached=true
elif recover yes; then
  reached=true
elif grep -q 'recovery ended before configured recovery target was reached' "$scratch/pitr-server.log"; then
  # The end of the archive: WAL ran out in its newest segment, or at the one after it.
  missing=$(grep -E '^[0-9A-F]{24}$' "$scratch/pitr-missing" | tail -n 1 || true)
  last=$(sed -n 's/.*restored log file "\([0-9A-F]\{24\}\)".*/\1/p' "$scratch/pitr-server.log" | tail -n 1)
  newest=$(find "$wal_dir" -maxdepth 1 -name '[0-9A-F]*.gz*' -printf '%f\n' | cut -c1-24 | sort | tail -n 1)
  if [[ -n $newest && ($last == "$newest" || $missing > $newest) ]]; then
    pitr_log "the archive ends (at $newest) before $target: restoring all of it, which is everything before the target"
    recover no
    reached=false
  else
    fail "recovery stopped at ${missing:-after $last}, which the archive lacks although it holds WAL up to $newest: a hole; restore from the other archive (restore.postgresql.archive) or to an earlier target"
  fi
else
  fail "the recovery failed: see the server's log below"
fi
replay_s=$(since "$started")
wal_files=$(grep -c 'restored log file' "$scratch/pitr-server.log" || true)

last_commit=$(sql "SELECT to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
if [[ -n ${DR_PITR_SLOT:-} ]]; then
  # The restored cluster has no slot (base backups hold none): create the receiver's now, so that
  # the primary keeps its WAL from the promotion on until the receiver connects.
  sql "SELECT pg_create_physical_replication_slot('$DR_PITR_SLOT', true) WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = '$DR_PITR_SLOT')" >/dev/null
fi
sql "CHECKPOINT"
pg_ctl -D "$new" -m fast -w -t 600 stop >/dev/null
pitr_log "recovered up to the commit of $last_commit in ${replay_s}s (${wal_files} WAL files replayed); promoted, shut down cleanly"

# ── Hand the PVC back: the recovered directory becomes PGDATA ───────────────────────────────
if [[ -d $mount/data ]]; then
  mv -- "$mount/data" "$mount/data.before-pitr-$stamp"
  pitr_log "the previous data directory is kept as $mount/data.before-pitr-$stamp: delete it once the restore is checked"
fi
mv -- "$new" "$mount/data"
rm -rf -- "$work"
pitr_log "done: scale the StatefulSet back to 1"
