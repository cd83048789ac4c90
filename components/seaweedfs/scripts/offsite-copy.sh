#!/usr/bin/env bash
# Copies every bucket of the SeaweedFS S3 gateway to cold storage, keys preserved:
# <bucket>/<key> lands at "<prefix>/<bucket>/<key>". Copy only: an object removed from
# SeaweedFS stays offsite, and an overwritten one keeps its old version there (the bucket
# is versioned; retention is the bucket's lifecycle, never this job's business).
# No --immutable: SeaweedFS objects may legitimately be rewritten under the same key.
#
# Environment (no credential is ever passed as an argument or printed):
#   DR_SOURCE_ENDPOINT        SeaweedFS S3 URL                    default http://seaweedfs-s3:8333
#   DR_SOURCE_ACCESS_KEY_ID   SeaweedFS S3 credentials (Secret seaweedfs-s3-secret);
#   DR_SOURCE_SECRET_ACCESS_KEY   anonymous access when unset
#   DR_SOURCE_PROVIDER        rclone s3 provider of the source    default SeaweedFS
#   DR_SOURCE_BUCKETS         space-separated buckets to copy     default: every bucket
#   DR_DEST_BUCKET            cold-storage bucket                 required
#   DR_DEST_PREFIX            key prefix in the bucket            default s3
#   DR_DEST_PROVIDER          rclone s3 provider                  default AWS
#   DR_DEST_REGION            bucket region                       default: rclone's
#   DR_DEST_ENDPOINT          S3 endpoint URL (non-AWS)           default: provider's
#   DR_DEST_ACCESS_KEY_ID     static credentials; when unset, the AWS SDK chain is used
#   DR_DEST_SECRET_ACCESS_KEY   (env_auth: IRSA web identity, AWS_* env, instance role)
#   DR_DEST_KMS_KEY_ARN       ARN of the bucket's KMS key (SSE-KMS) required
#   DR_BWLIMIT                rclone --bwlimit                    default 20M
#   DR_HEARTBEAT_URL, DR_HEARTBEAT_TIMEOUT   the dead-man's switch (heartbeat.sh)
# Other rclone options: RCLONE_CONFIG_SRC_<OPTION> / RCLONE_CONFIG_DEST_<OPTION>.
set -Eeuo pipefail
exec 2>&1 # one ordered log stream on stdout
trap 'echo "offsite-copy[seaweedfs]: failed at ${BASH_SOURCE[0]##*/}:$LINENO"' ERR

log() { echo "offsite-copy[seaweedfs]: $*"; }

# shellcheck source=../../offsite/scripts/heartbeat.sh # mounted beside this script in the pod
source "$(dirname "${BASH_SOURCE[0]}")/heartbeat.sh"
trap heartbeat_on_exit EXIT

# shellcheck source=../../offsite/scripts/rclone-dest.sh # mounted beside this script in the pod
source "$(dirname "${BASH_SOURCE[0]}")/rclone-dest.sh" # the `dest` remote from DR_DEST_*

# The source is read, never written: no bucket creation, no server-side tricks.
export RCLONE_CONFIG_SRC_TYPE=s3 RCLONE_CONFIG_SRC_PROVIDER="${DR_SOURCE_PROVIDER:-SeaweedFS}"
export RCLONE_CONFIG_SRC_ENDPOINT="${DR_SOURCE_ENDPOINT:-http://seaweedfs-s3:8333}"
export RCLONE_CONFIG_SRC_FORCE_PATH_STYLE=true RCLONE_CONFIG_SRC_ENV_AUTH=false
if [[ -n "${DR_SOURCE_ACCESS_KEY_ID:-}" ]]; then
  export RCLONE_CONFIG_SRC_ACCESS_KEY_ID="$DR_SOURCE_ACCESS_KEY_ID"
  export RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY="${DR_SOURCE_SECRET_ACCESS_KEY:?DR_SOURCE_SECRET_ACCESS_KEY is required with DR_SOURCE_ACCESS_KEY_ID}"
fi
# --checksum compares MD5s: the source's ETag, and offsite the MD5 rclone stored in the object's
# metadata (SSE-KMS ETags are not MD5s; see rclone-dest.sh): an unchanged object is never resent.
RCLONE_FLAGS=(--checksum --bwlimit "${DR_BWLIMIT:-20M}" --stats-one-line)

remote=$(dest_remote s3)

if [[ -n "${DR_SOURCE_BUCKETS:-}" ]]; then
  read -r -a buckets <<<"$DR_SOURCE_BUCKETS"
else
  listing=$(rclone lsf --dirs-only "src:") # a failed listing aborts the run
  buckets=()
  while IFS= read -r entry; do
    [[ -n "$entry" ]] && buckets+=("${entry%/}")
  done <<<"$listing"
fi
((${#buckets[@]} > 0)) || { log "no bucket to copy on $RCLONE_CONFIG_SRC_ENDPOINT"; exit 1; }

failed=0
for bucket in "${buckets[@]}"; do
  log "copying bucket $bucket"
  if rclone copy "src:$bucket" "$remote/$bucket" "${RCLONE_FLAGS[@]}"; then
    log "bucket $bucket is offsite"
  else
    log "copy of bucket $bucket failed"
    failed=$((failed + 1))
  fi
done

log "done: ${#buckets[@]} buckets, $failed failed"
if ((failed > 0)); then exit 1; fi
