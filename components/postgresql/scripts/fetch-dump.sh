#!/usr/bin/env bash
# Fetches one PostgreSQL dump from cold storage for a restore: the init step of the restore Job
# when restore.postgresql.source is `cold`. Only dumps whose MANIFEST.sha256 arrived (the offsite
# copy uploads it last) are candidates; restore.sh verifies every file against it afterwards.
#
# Environment (credentials only through env, never printed):
#   DR_RESTORE_FROM           dump id (e.g. 20261124T020000Z) or `latest`     default latest
#   DR_FETCH_DIR              where the dump lands, as DR_FETCH_DIR/dump      required
#   DR_DEST_BUCKET, DR_DEST_PREFIX (default postgresql), DR_DEST_PROVIDER, DR_DEST_REGION,
#   DR_DEST_ENDPOINT, DR_DEST_ACCESS_KEY_ID, DR_DEST_SECRET_ACCESS_KEY, DR_DEST_KMS_KEY_ARN:
#                             as offsite-copy.sh
#   DR_BWLIMIT                rclone --bwlimit                                   default 0 (off)
set -Eeuo pipefail
exec 2>&1
trap 'echo "fetch-dump: failed at ${BASH_SOURCE[0]##*/}:$LINENO"' ERR
log() { echo "fetch-dump: $*"; }

: "${DR_FETCH_DIR:?DR_FETCH_DIR is required}"
# shellcheck source=../../offsite/scripts/rclone-dest.sh # mounted beside this script in the pod
source "$(dirname "${BASH_SOURCE[0]}")/rclone-dest.sh" # the `dest` remote from DR_DEST_*

remote="$(dest_remote postgresql)/"
id_pattern='^[0-9]{8}T[0-9]{6}Z$'
wanted="${DR_RESTORE_FROM:-latest}"
[[ $wanted == latest || $wanted =~ $id_pattern ]] || { log "DR_RESTORE_FROM must be a dump id like 20261124T020000Z or latest, got '$wanted'"; exit 1; }

# Complete remote dumps: ids whose manifest is there. Ids sort chronologically as text.
mapfile -t complete < <(rclone lsf --recursive --files-only --include '/*/MANIFEST.sha256' "$remote" | sed -n 's#^\([0-9]\{8\}T[0-9]\{6\}Z\)/MANIFEST.sha256$#\1#p' | sort)
if [[ ${#complete[@]} -eq 0 ]]; then log "no complete dump under $remote"; exit 1; fi
if [[ $wanted == latest ]]; then
  id="${complete[-1]}"
else
  id=""
  for candidate in "${complete[@]}"; do [[ $candidate == "$wanted" ]] && id="$candidate"; done
  [[ -n $id ]] || { log "dump $wanted is not complete in cold storage; complete ones: ${complete[*]}"; exit 1; }
fi

target="$DR_FETCH_DIR/dump"
[[ ! -e $target ]] || { log "$target already exists; refusing to mix two dumps"; exit 1; }
log "fetching $id from $remote"
rclone copy --checksum --bwlimit "${DR_BWLIMIT:-0}" --stats-one-line "$remote$id" "$target.partial"
mv -- "$target.partial" "$target"
echo "$id" >"$DR_FETCH_DIR/dump-id"
log "fetched $id ($(du -sh -- "$target" | cut -f1))"
