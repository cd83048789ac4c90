#!/usr/bin/env bash
# Copies the WAL archive (docs/pitr.md, layout in pitr-lib.sh) from its PVC, mounted read-only,
# to cold storage, incrementally: one listing per generation, then only what the bucket lacks.
#
# - Base backups: each verified one (pitr-backup.json present) whose backup_manifest is not in
#   the bucket yet, as one base.tar.gz streamed (tar and gzip of this image); its manifest goes
#   last, so a manifest in the bucket marks a complete copy.
# - WAL: complete segments and history files, one at a time in name (= WAL) order. Never
#   overwritten (--immutable).
# - The segment being received: a copy of it, under its own .gz.partial name — never the name of
#   a complete segment — rewritten while it grows; a restore uses it only when the complete
#   segment is absent. It bounds what a lost cluster loses to the interval of this copy.
# Nothing remote is ever deleted: the element's lifecycle rule expires what is old.
#
# Environment (no credential is ever passed as an argument or printed):
#   DR_PITR_DIR               the archive PVC (read-only)          default /pitr
#   DR_DEST_*                 the bucket (rclone-dest.sh)          DR_DEST_PREFIX: <element prefix>/pitr
#   DR_BWLIMIT                rclone --bwlimit                     default 20M
set -Eeuo pipefail
exec 2>&1
trap 'echo "offsite-copy[pitr]: failed at ${BASH_SOURCE[0]##*/}:$LINENO"' ERR
PITR_WHO='offsite-copy[pitr]'
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=pitr-lib.sh
source "$here/pitr-lib.sh"
# shellcheck source=../../../offsite/scripts/rclone-dest.sh # mounted beside this script in the pod
source "$here/rclone-dest.sh"
RCLONE_FLAGS=(--checksum --bwlimit "${DR_BWLIMIT:-20M}" --stats-one-line)

dir=${DR_PITR_DIR:-/pitr}
remote=$(dest_remote postgresql/pitr)
[[ -d $dir ]] || { pitr_log "archive directory $dir not found"; exit 1; }

# rclone lsf ARGS…, where a prefix with nothing under it yet (exit 3, "directory not found") is
# an empty listing; any other failure fails the run.
remote_list() {
  local out rc=0
  out=$(rclone lsf "$@") || rc=$?
  ((rc == 0 || rc == 3)) || return "$rc"
  if ((rc == 0)); then printf '%s\n' "$out"; fi
}

copy_base_backups() { # GENERATION
  local generation=$1 id entry copied=0 listing
  local -A offsite=()
  listing=$(remote_list --files-only --max-depth 2 --include '/*/backup_manifest' "$remote/$generation/base")
  while IFS= read -r entry; do
    [[ -n $entry ]] && offsite["${entry%%/*}"]=1
  done <<<"$listing"
  while IFS= read -r id; do
    [[ -z ${offsite[$id]:-} ]] || continue
    pitr_log "copying base backup $generation/$id"
    # One object, streamed: a data directory is thousands of small files (a request each otherwise),
    # and the bucket would lose its empty directories. pg_verifybackup checks it back at restore.
    tar -C "$dir/$generation/base/$id" -cf - . | gzip -1 -n | rclone rcat "$remote/$generation/base/$id/base.tar.gz" "${RCLONE_FLAGS[@]}"
    # Then its two small files, the manifest last (descending name order, one at a time).
    rclone copy "$dir/$generation/base/$id" "$remote/$generation/base/$id" --include /pitr-backup.json --include /backup_manifest \
      --transfers 1 --check-first --order-by name,descending --immutable "${RCLONE_FLAGS[@]}"
    copied=$((copied + 1))
  done < <(pitr_base_backups "$dir/$generation")
  base_copied=$((base_copied + copied))
}

copy_wal() { # GENERATION
  local generation=$1 name file listing
  local -A offsite=()
  local -a missing=()
  listing=$(remote_list --files-only "$remote/$generation/wal")
  while IFS= read -r name; do
    [[ -n $name ]] && offsite[$name]=1
  done <<<"$listing"
  for file in "$dir/$generation"/wal/*; do
    name=${file##*/}
    if [[ $name =~ ^[0-9A-F]{24}\.gz$ || $name =~ ^[0-9A-F]{8}\.history$ ]] && [[ -z ${offsite[$name]:-} ]]; then missing+=("$name"); fi
  done
  ((${#missing[@]} > 0)) || return 0
  # One at a time, in name order — WAL order, history files before their timeline's segments (the
  # glob sorted them). A failed upload fails the run and the next one fills it in; a restore
  # meanwhile stops at the hole and says so, it never skips one (pitr-restore.sh).
  printf '%s\n' "${missing[@]}" >/tmp/pitr-wal-missing
  rclone copy "$dir/$generation/wal" "$remote/$generation/wal" --files-from-raw /tmp/pitr-wal-missing --no-traverse \
    --transfers 1 --check-first --order-by name,ascending --immutable "${RCLONE_FLAGS[@]}" || {
    pitr_log "WAL upload of generation $generation failed: the next run resumes it"
    return 1
  }
  wal_copied=$((wal_copied + ${#missing[@]}))
}

# The segment being received, copied first (it grows while we read it): a prefix of a gzip
# stream, which a restore decompresses as far as it goes (wal-fetch.sh).
copy_partial() { # GENERATION
  local generation=$1 file name
  for file in "$dir/$generation"/wal/*.gz.partial; do
    [[ -f $file ]] || continue
    name=${file##*/}
    [[ $name =~ ^[0-9A-F]{24}\.gz\.partial$ ]] || continue
    cp -- "$file" "/tmp/$name"
    rclone copyto "/tmp/$name" "$remote/$generation/wal/$name" "${RCLONE_FLAGS[@]}"
    rm -f -- "/tmp/$name"
    partial=$name
  done
}

base_copied=0 wal_copied=0 partial='' failed=0
while IFS= read -r generation; do
  rclone copyto "$dir/$generation/SYSTEM" "$remote/$generation/SYSTEM" --immutable "${RCLONE_FLAGS[@]}"
  copy_base_backups "$generation"
  copy_wal "$generation" || failed=1
  # An ended generation keeps its last, partial segment for good: it holds that history's last WAL.
  if [[ $failed == 0 ]]; then copy_partial "$generation"; fi
done < <(pitr_generations "$dir")
pitr_log "done: $base_copied base backups, $wal_copied WAL files copied${partial:+, partial $partial}"
exit "$failed"
