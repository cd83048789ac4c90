#!/bin/bash
# QALITA DR: a base backup into the WAL archive's current generation (docs/pitr.md), then the
# archive's pruning. pg_basebackup in plain format with its WAL streamed alongside (the backup is
# consistent by itself) and a manifest, checked with pg_verifybackup (every file's checksum, and
# the WAL it needs parsed with pg_waldump) before it is published: written under .partial-<id>,
# renamed to <id> once pitr-backup.json — its times and first WAL segment — is written.
#
# Pruning, after a success only: the newest DR_PITR_KEEP base backups stay; the WAL segments
# before the first one the oldest kept base backup needs go, and nothing newer — so every instant
# from the oldest kept base backup on stays restorable. Older generations go once the current one
# holds DR_PITR_KEEP base backups of its own (they reached the bucket long before). Abandoned
# .partial-* directories go after a day (the CronJob's deadline is 6 h; a base backup the receiver
# started for a new generation may run beside it).
#
# Environment:
#   PGHOST, PGPORT, PGUSER, PGPASSWORD   the primary and the replication role   required
#   DR_PITR_DIR                          the archive PVC                        default /pitr
#   DR_PITR_KEEP                         base backups kept                      default 2
#   DR_PITR_CHECKPOINT                   pg_basebackup --checkpoint             default fast
#   DR_PITR_BASEBACKUP_OPTIONS           more pg_basebackup options, e.g. --max-rate=50M to spare
#                                        the primary's disk                     default none
# The last line of output is BASE_BACKUP_RESULT {"id","generation","seconds","bytes"} on success.
set -Eeuo pipefail
exec 2>&1
PITR_WHO='base-backup'
# shellcheck source=pitr-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/pitr-lib.sh"
trap 'pitr_log "failed at line $LINENO"' ERR

dir=${DR_PITR_DIR:-/pitr}
keep=${DR_PITR_KEEP:-2}
started_s=$(date +%s)

generation=$(cat "$dir/CURRENT" 2>/dev/null || true)
if [[ ! $generation =~ $PITR_ID_RE || ! -f $dir/$generation/SYSTEM ]]; then
  pitr_log "no archive generation in $dir: the WAL receiver has not started yet"
  exit 1
fi
identify_server || { pitr_log "cannot identify the server at ${PGHOST:-}:${PGPORT:-5432}"; exit 1; }
read -r sysid tli <"$dir/$generation/SYSTEM"
if [[ $sysid != "$server_sysid" || $tli != "$server_tli" ]]; then
  # The receiver starts a new generation (and its first base backup) as it reconnects.
  pitr_log "the server (system $server_sysid, timeline $server_tli) is not what generation $generation follows ($sysid, $tli): not mixing histories"
  exit 1
fi

base=$dir/$generation/base
# A new generation's first base backup (the receiver's) may start in the same second: mkdir claims
# the id. Checked again once claimed: the other may have taken the same id and published it (a
# small database takes under a second) between the first check and the mkdir.
claim() { # ID
  [[ ! -e $base/$1 ]] && mkdir "$base/.partial-$1" 2>/dev/null || return 1
  [[ ! -e $base/$1 ]] && return 0
  rmdir "$base/.partial-$1"
  return 1
}
id=$(pitr_now_id)
until claim "$id"; do
  sleep 1
  id=$(pitr_now_id)
done
tmp=$base/.partial-$id
started=$(date -u +%FT%TZ)
pitr_log "base backup $id of generation $generation"
# A temporary slot (pg_basebackup's default with -X stream) keeps the WAL the backup needs.
read -r -a options <<<"${DR_PITR_BASEBACKUP_OPTIONS:-}"
pg_basebackup --pgdata="$tmp" --format=plain --wal-method=stream --checkpoint="${DR_PITR_CHECKPOINT:-fast}" \
  --label="qalita-dr $id" --no-password "${options[@]}"
pg_verifybackup --quiet "$tmp"
finished=$(date -u +%FT%TZ)
label=$(grep '^START WAL LOCATION:' "$tmp/backup_label")
[[ $label =~ ^START\ WAL\ LOCATION:\ ([0-9A-F]+/[0-9A-F]+)\ \(file\ ([0-9A-F]{24})\)$ ]] || { pitr_log "unexpected backup_label: $label"; exit 1; }
start_lsn=${BASH_REMATCH[1]} start_wal=${BASH_REMATCH[2]}
bytes=$(du -sb "$tmp" | cut -f1)
printf '{"id":"%s","generation":"%s","startLsn":"%s","startWal":"%s","timeline":%s,"started":"%s","finished":"%s","bytes":%s}\n' \
  "$id" "$generation" "$start_lsn" "$start_wal" "$server_tli" "$started" "$finished" "$bytes" >"$tmp/pitr-backup.json"
# -T: never into a directory of the same name, should one appear anyway.
mv -T "$tmp" "$base/$id"
pitr_log "base backup $id complete and verified: $bytes bytes, from WAL $start_wal"

# ── Pruning ─────────────────────────────────────────────────────────────────────────────────
mapfile -t backups < <(pitr_base_backups "$dir/$generation")
for ((i = 0; i + keep < ${#backups[@]}; i++)); do
  pitr_log "pruning base backup ${backups[i]}"
  rm -rf -- "${base:?}/${backups[i]}"
done
oldest=${backups[i]}
first_needed=$(pitr_backup_field "$base/$oldest/pitr-backup.json" startWal)
[[ $first_needed =~ $PITR_SEGMENT_RE ]] || { pitr_log "no startWal in $oldest/pitr-backup.json: not pruning WAL"; exit 1; }
pruned=0
for file in "$dir/$generation"/wal/*.gz; do
  name=${file##*/}
  name=${name%.gz}
  # Same generation, same timeline: segment names sort in WAL order.
  if [[ $name =~ $PITR_SEGMENT_RE && $name < $first_needed ]]; then
    rm -f -- "$file"
    pruned=$((pruned + 1))
  fi
done
((pruned == 0)) || pitr_log "pruned $pruned WAL segments before $first_needed (the start of base backup $oldest)"
if ((${#backups[@]} >= keep)); then
  while IFS= read -r old; do
    [[ $old != "$generation" ]] || continue
    pitr_log "pruning generation $old: generation $generation holds $keep base backups"
    rm -rf -- "${dir:?}/$old"
  done < <(pitr_generations "$dir")
fi
find "$base" -mindepth 1 -maxdepth 1 -name '.partial-*' -mmin +1440 -exec rm -rf -- {} +
echo "BASE_BACKUP_RESULT {\"id\":\"$id\",\"generation\":\"$generation\",\"seconds\":$(($(date +%s) - started_s)),\"bytes\":$bytes}"
