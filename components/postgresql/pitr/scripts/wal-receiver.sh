#!/bin/bash
# QALITA DR: the WAL receiver (docs/pitr.md). Streams the primary's WAL into the archive PVC with
# pg_receivewal through a physical replication slot, so that the primary keeps whatever the
# receiver has not got yet (up to max_slot_wal_keep_size) and a restart resumes where it stopped:
# pg_receivewal starts again at the beginning of the segment it was receiving, which the slot kept.
# --synchronous flushes every piece of WAL to disk as it arrives, not once per segment: the
# archive holds every transaction the primary has committed, minus the one in flight. Runs in the
# release's PostgreSQL image, forever (a Deployment's pod); SIGTERM stops it cleanly.
#
# Before each connection it checks that the archive's current generation (pitr-lib.sh) follows
# this server; if not — another server, a new timeline after a point-in-time restore, a position
# behind the archive after a snapshot restore, a slot the primary invalidated — it starts a new
# generation, and takes that generation's first base backup itself (base-backup.sh), so that the
# new history is restorable within minutes instead of at the next scheduled base backup.
#
# Environment:
#   PGHOST, PGPORT, PGUSER        the primary and the replication role        required
#   PGPASSWORD                    the role's password (a secretKeyRef)        required
#   DR_PITR_DIR                   the archive PVC                             default /pitr
#   DR_PITR_SLOT                  the physical replication slot               required
#   DR_PITR_COMPRESS              pg_receivewal --compress                    default gzip:1
#   DR_PITR_RETRY_SECONDS         pause before reconnecting                   default 5
#   DR_PITR_APPLICATION_NAME      the stream's application_name, which the   default pg_receivewal
#                                 primary's synchronous_standby_names names
set -Eeuo pipefail
exec 2>&1
PITR_WHO='wal-receiver'
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=pitr-lib.sh
source "$here/pitr-lib.sh"

dir=${DR_PITR_DIR:-/pitr}
slot=${DR_PITR_SLOT:?DR_PITR_SLOT is required}
compress=${DR_PITR_COMPRESS:-gzip:1}
app_name=${DR_PITR_APPLICATION_NAME:-pg_receivewal}
retry=${DR_PITR_RETRY_SECONDS:-5}
child='' sleeper='' stopping=''

stop() {
  stopping=1
  # SIGINT: pg_receivewal flushes what it has and exits 0.
  if [[ -n $child ]]; then kill -INT "$child" 2>/dev/null || true; fi
  if [[ -n $sleeper ]]; then kill "$sleeper" 2>/dev/null || true; fi
}
trap stop TERM INT

# True when the generation's WAL reaches past the server's flush position: the server went back
# in time (a snapshot or point-in-time restore), and streaming on would mix two histories.
archive_ahead() { # WAL_DIR
  local file name newest='' end
  for file in "$1"/*.gz "$1"/*.gz.partial; do
    name=${file##*/}
    name=${name%%.*}
    [[ $name =~ $PITR_SEGMENT_RE && $name > $newest ]] && newest=$name
  done
  [[ -n $newest ]] || return 1
  end=$(pitr_segno "$newest" "$segment_bytes")
  # A complete segment reaches its end; a partial one at least its start.
  [[ -f $1/$newest.gz ]] && end=$((end + 1))
  ((end * segment_bytes > $(pitr_lsn_bytes "$server_lsn")))
}

slot_status() { # prints the slot's wal_status, nothing when it does not exist
  psql -d postgres -XAtq -c "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '$slot'"
}

# Sets `generation`, the one this server's WAL goes to; `fresh` when it was just started.
choose_generation() {
  local current='' sysid tli why=''
  fresh=''
  identify_server || { pitr_log "cannot identify the server at ${PGHOST:-}:${PGPORT:-5432}"; return 1; }
  current=$(cat "$dir/CURRENT" 2>/dev/null || true)
  if [[ $current =~ $PITR_ID_RE && -f $dir/$current/SYSTEM ]]; then
    read -r sysid tli <"$dir/$current/SYSTEM"
    if [[ $sysid != "$server_sysid" ]]; then
      why="the server is another system ($server_sysid, the archive follows $sysid)"
    elif [[ $tli != "$server_tli" ]]; then
      why="the server is on timeline $server_tli, the archive on $tli (a point-in-time restore)"
    elif archive_ahead "$dir/$current/wal"; then
      why="the server is at $server_lsn, behind the archive (a snapshot restore?)"
    elif [[ $(slot_status) == lost ]]; then
      why="the primary invalidated slot $slot (max_slot_wal_keep_size): the WAL since the receiver stopped is gone"
      pg_receivewal --slot="$slot" --drop-slot
    else
      generation=$current
      return 0
    fi
    pitr_log "starting a new generation: $why; generation $current stays as it is"
  fi
  generation=$(pitr_now_id)
  mkdir -p "$dir/$generation/wal" "$dir/$generation/base"
  printf '%s %s\n' "$server_sysid" "$server_tli" >"$dir/$generation/SYSTEM"
  printf '%s\n' "$generation" >"$dir/.CURRENT.tmp"
  mv -f "$dir/.CURRENT.tmp" "$dir/CURRENT"
  fresh=1
  pitr_log "generation $generation: system $server_sysid, timeline $server_tli, from $server_lsn"
}

[[ -d $dir && -w $dir ]] || { pitr_log "archive directory $dir is not writable"; exit 1; }
while [[ -z $stopping ]]; do
  if choose_generation && pg_receivewal --slot="$slot" --create-slot --if-not-exists; then
    if [[ -n $fresh ]]; then
      # The new history is restorable once it has a base backup: take one now, beside the stream.
      bash "$here/base-backup.sh" &
    fi
    # --no-loop: a lost connection comes back here, where the generation is checked again.
    # Only the stream carries the name: a base backup streaming WAL must never pass for the
    # synchronous standby a commit waits for.
    PGAPPNAME=$app_name pg_receivewal --directory="$dir/$generation/wal" --slot="$slot" --synchronous --compress="$compress" --no-loop --verbose &
    child=$!
    rc=0
    # A trapped signal interrupts `wait`: wait again for pg_receivewal to finish its flush.
    wait "$child" || rc=$?
    if [[ -n $stopping ]]; then wait "$child" 2>/dev/null || true; fi
    child=''
    [[ -n $stopping ]] || pitr_log "pg_receivewal exited ($rc); reconnecting in ${retry}s"
  fi
  if [[ -z $stopping ]]; then
    sleep "$retry" &
    sleeper=$!
    wait "$sleeper" || true
    sleeper=''
  fi
done
pitr_log "stopped"
