# shellcheck shell=bash
# Sourced by the point-in-time recovery scripts (docs/pitr.md): the archive's layout, the server's
# identity, and the choice of the base backup a restore starts from. Needs bash, coreutils and,
# for identify_server, psql (the release's PostgreSQL image); the cold fetch (shell image) uses
# the layout and the choice only.
#
# The archive (on its PVC, and the same tree in the bucket under <prefix>/pitr/):
#   CURRENT                      the generation the receiver writes (a name below)
#   <generation>/SYSTEM          "<system identifier> <timeline>" of the server it streams
#   <generation>/wal/            pg_receivewal's directory: <segment>.gz complete, <segment>.gz.partial
#                                being received (never presented as complete), <timeline>.history
#   <generation>/base/<id>/      a base backup (pg_basebackup -Fp, backup_manifest), verified;
#                                pitr-backup.json written last; .partial-<id> while in progress
# A generation is one unbroken history of one server: the receiver starts a new one whenever the
# server is not the one its archive follows (another system identifier, another timeline after a
# point-in-time restore, a position behind the archive after a snapshot restore, a lost slot), so
# WAL of two histories never mixes, nor do two files of one name.

# Names: a generation and a base backup are UTC instants, which sort as they happened.
# shellcheck disable=SC2034 # read by the scripts that source this file
PITR_ID_RE='^[0-9]{8}T[0-9]{6}Z$'
PITR_SEGMENT_RE='^[0-9A-F]{24}$'

pitr_log() { printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${PITR_WHO:-pitr}" "$*"; }

pitr_now_id() { date -u +%Y%m%dT%H%M%SZ; }

# 20260314T092653Z → Unix seconds.
pitr_id_epoch() { date -u -d "${1:0:4}-${1:4:2}-${1:6:2}T${1:9:2}:${1:11:2}:${1:13:2}Z" +%s; }

# The generations of ARCHIVE_DIR, oldest first.
pitr_generations() {
  local dir name
  for dir in "$1"/*/; do
    name=${dir%/}
    name=${name##*/}
    [[ $name =~ $PITR_ID_RE && -f $1/$name/SYSTEM ]] && printf '%s\n' "$name"
  done
  return 0
}

# The complete base backups of a generation directory, oldest first: verified
# (pitr-backup.json, written last) and with their manifest.
pitr_base_backups() {
  local dir name
  for dir in "$1"/base/*/; do
    name=${dir%/}
    name=${name##*/}
    [[ $name =~ $PITR_ID_RE && -f $1/base/$name/pitr-backup.json && -f $1/base/$name/backup_manifest ]] && printf '%s\n' "$name"
  done
  return 0
}

# FIELD of a pitr-backup.json (strings only): pitr_backup_field FILE finished
pitr_backup_field() { sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p" "$1"; }

# "<generation> <base backup id>" a restore to TARGET (RFC 3339 or "latest") starts from: in the
# newest generation that began before TARGET (later ones are histories that branched off after
# it), the newest base backup that was complete by TARGET. Its WAL from the base backup's start
# then reaches TARGET, if the archive does. On failure prints why on stderr and returns 1.
pitr_choose() { # ARCHIVE_DIR TARGET
  local archive=$1 target=$2 target_epoch generation='' chosen='' id finished earliest='' i
  if [[ $target == latest ]]; then target_epoch=$((1 << 62)); else target_epoch=$(date -u -d "$target" +%s); fi
  local -a generations
  mapfile -t generations < <(pitr_generations "$archive")
  for ((i = ${#generations[@]} - 1; i >= 0; i--)); do
    if (($(pitr_id_epoch "${generations[i]}") <= target_epoch)); then generation=${generations[i]} && break; fi
  done
  if [[ -z $generation ]]; then
    echo "no generation of the archive began before $target (generations: ${generations[*]:-none})" >&2
    return 1
  fi
  while IFS= read -r id; do
    finished=$(pitr_backup_field "$archive/$generation/base/$id/pitr-backup.json" finished)
    [[ -n $earliest ]] || earliest=$finished
    if (($(date -u -d "$finished" +%s) <= target_epoch)); then chosen=$id; fi
  done < <(pitr_base_backups "$archive/$generation")
  if [[ -z $chosen ]]; then
    echo "generation $generation (the history since $(date -u -d "@$(pitr_id_epoch "$generation")" +%FT%TZ)) has no base backup complete by $target${earliest:+ (its first finished at $earliest)}" >&2
    return 1
  fi
  printf '%s %s\n' "$generation" "$chosen"
}

# Segment file name (24 hex digits) → segment number, for SEGMENT_BYTES-sized segments.
pitr_segno() { # NAME SEGMENT_BYTES
  local name=$1
  echo $((16#${name:8:8} * (0x100000000 / $2) + 16#${name:16:8}))
}

# "0/15399E0" → a byte position.
pitr_lsn_bytes() { echo $(((16#${1%/*} << 32) | 16#${1#*/})); }

# server_sysid, server_tli, server_lsn (flush position) and segment_bytes of the server PG*
# point to, over a replication connection (the role needs REPLICATION, nothing else).
identify_server() {
  local row size
  row=$(psql "dbname=replication replication=true" -XAtq -c IDENTIFY_SYSTEM) || return 1
  IFS='|' read -r server_sysid server_tli server_lsn _ <<<"$row"
  size=$(psql "dbname=replication replication=true" -XAtq -c "SHOW wal_segment_size") || return 1
  # shellcheck disable=SC2034 # read by the scripts that source this file
  case $size in
  *GB) segment_bytes=$((${size%GB} << 30)) ;;
  *MB) segment_bytes=$((${size%MB} << 20)) ;;
  *) return 1 ;;
  esac
  [[ $server_sysid =~ ^[0-9]+$ && $server_tli =~ ^[0-9]+$ && $server_lsn =~ ^[0-9A-F]+/[0-9A-F]+$ ]]
}
