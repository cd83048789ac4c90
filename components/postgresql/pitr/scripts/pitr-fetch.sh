#!/usr/bin/env bash
# QALITA DR: fetches from cold storage what a point-in-time restore needs (docs/pitr.md) — the
# init container of the restore Job when restore.postgresql.archive is cold. Reads the archive's
# metadata (each generation's SYSTEM, each base backup's pitr-backup.json and backup_manifest,
# the last one uploaded: a complete copy), chooses as pitr-restore.sh will (pitr-lib.sh ›
# pitr_choose), then downloads that base backup (base.tar.gz, unpacked) and its generation's WAL
# from the base backup's first segment on, the partial segment included. Everything lands on the data PVC itself, in
# the restore's workspace: the base backup becomes the new data directory there without a
# second copy, and nothing is fetched twice when the Job is retried.
#
# Environment (no credential is ever passed as an argument or printed):
#   DR_PITR_TARGET            RFC 3339 instant, or "latest"                   required
#   DR_PITR_DATA_MOUNT        the data PVC's mount           default /bitnami/postgresql
#   DR_DEST_*                 the bucket (rclone-dest.sh)    DR_DEST_PREFIX: <element prefix>/pitr
set -Eeuo pipefail
exec 2>&1
trap 'echo "pitr-fetch: failed at ${BASH_SOURCE[0]##*/}:$LINENO"' ERR
PITR_WHO='pitr-fetch'
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=pitr-lib.sh
source "$here/pitr-lib.sh"
# shellcheck source=../../../offsite/scripts/rclone-dest.sh # mounted beside this script in the pod
source "$here/rclone-dest.sh"
FLAGS=(--checksum --stats-one-line --transfers 8)

target=${DR_PITR_TARGET:?DR_PITR_TARGET is required}
archive=${DR_PITR_DATA_MOUNT:-/bitnami/postgresql}/.qalita-dr-pitr/archive
remote=$(dest_remote postgresql/pitr)
mkdir -p "$archive"

pitr_log "reading the archive's metadata from $remote"
rclone copy "$remote" "$archive" --include '/*/SYSTEM' --include '/*/base/*/pitr-backup.json' --include '/*/base/*/backup_manifest' "${FLAGS[@]}"
choice=$(pitr_choose "$archive" "$target") || { pitr_log "nothing to restore to $target from"; exit 1; }
read -r generation backup <<<"$choice"
first=$(pitr_backup_field "$archive/$generation/base/$backup/pitr-backup.json" startWal)
[[ $first =~ $PITR_SEGMENT_RE ]] || { pitr_log "base backup $backup names no first WAL segment"; exit 1; }

pitr_log "fetching base backup $generation/$backup"
rm -rf -- "${archive:?}/$generation/base/$backup.tmp"
mkdir -p "$archive/$generation/base/$backup.tmp"
rclone cat "$remote/$generation/base/$backup/base.tar.gz" | gzip -dc | tar -C "$archive/$generation/base/$backup.tmp" -xf -
cp -- "$archive/$generation/base/$backup/pitr-backup.json" "$archive/$generation/base/$backup.tmp/"
rm -rf -- "${archive:?}/$generation/base/$backup"
mv -- "$archive/$generation/base/$backup.tmp" "$archive/$generation/base/$backup"
listing=$(rclone lsf --files-only "$remote/$generation/wal")
: >/tmp/pitr-wal-files
while IFS= read -r name; do
  if [[ $name =~ ^[0-9A-F]{8}\.history$ ]] || [[ $name =~ ^([0-9A-F]{24})\.gz(\.partial)?$ && ! ${BASH_REMATCH[1]} < $first ]]; then
    printf '%s\n' "$name" >>/tmp/pitr-wal-files
  fi
done <<<"$listing"
pitr_log "fetching $(wc -l </tmp/pitr-wal-files) WAL files of generation $generation from $first on"
rclone copy "$remote/$generation/wal" "$archive/$generation/wal" --files-from-raw /tmp/pitr-wal-files --no-traverse "${FLAGS[@]}"
pitr_log "done: $archive holds generation $generation's base backup $backup and its WAL"
