#!/usr/bin/env bash
# Copies the worker's ~/.qalita/ (sources file, job results) to cold storage through an
# rclone crypt remote: the sources file holds data-source passwords in plain text, so file
# contents and names are encrypted before they leave. Credential files (.worker, .env-*, ...)
# never leave at all: the patterns in $DR_EXCLUDE_FROM, rendered from credential-files.json.
# Copy only, nothing remote is deleted (the bucket is versioned, so a rewritten sources
# file keeps its earlier versions offsite).
#
# Environment (no credential is ever passed as an argument or printed):
#   DR_SOURCE_DIR             worker's ~/.qalita (read-only)      default /data/qalita
#   DR_EXCLUDE_FROM           rclone exclude file of credential files      required
#   DR_CRYPT_PASSWORD         crypt password, plain (obscured here)        required
#   DR_CRYPT_SALT             crypt salt (password2), plain                required
#   DR_DEST_BUCKET            cold-storage bucket                 required
#   DR_DEST_PREFIX            key prefix in the bucket            default agents
#   DR_DEST_PROVIDER          rclone s3 provider                  default AWS
#   DR_DEST_REGION            bucket region                       default: rclone's
#   DR_DEST_ENDPOINT          S3 endpoint URL (non-AWS)           default: provider's
#   DR_DEST_ACCESS_KEY_ID     static credentials; when unset, the AWS SDK chain is used
#   DR_DEST_SECRET_ACCESS_KEY   (env_auth: IRSA web identity, AWS_* env, instance role)
#   DR_DEST_KMS_KEY_ARN       ARN of the bucket's KMS key (SSE-KMS) required
#   DR_BWLIMIT                rclone --bwlimit                    default 20M
#   DR_HEARTBEAT_URL, DR_HEARTBEAT_TIMEOUT   the dead-man's switch (heartbeat.sh)
# Other rclone options: RCLONE_CONFIG_DEST_<OPTION> / RCLONE_CONFIG_VAULT_<OPTION>.
set -Eeuo pipefail
exec 2>&1 # one ordered log stream on stdout
trap 'echo "offsite-copy[agents]: failed at ${BASH_SOURCE[0]##*/}:$LINENO"' ERR

log() { echo "offsite-copy[agents]: $*"; }

# shellcheck source=../../offsite/scripts/heartbeat.sh # mounted beside this script in the pod
source "$(dirname "${BASH_SOURCE[0]}")/heartbeat.sh"
trap heartbeat_on_exit EXIT

# shellcheck source=../../offsite/scripts/rclone-dest.sh # mounted beside this script in the pod
source "$(dirname "${BASH_SOURCE[0]}")/rclone-dest.sh" # the `dest` remote from DR_DEST_*

remote=$(dest_remote agents)

# shellcheck source=vault.sh
source "$(dirname "${BASH_SOURCE[0]}")/vault.sh" # `vault:` (crypt over $remote) and its checks

DR_SOURCE_DIR="${DR_SOURCE_DIR:-/data/qalita}"
[[ -d "$DR_SOURCE_DIR" ]] || { log "$DR_SOURCE_DIR not found"; exit 1; }
FILTER=(--exclude-from "$DR_EXCLUDE_FROM")
# --skip-links: job venvs link to the image's interpreter, meaningless once restored.
# No --checksum: crypt exposes no hash, rclone would fall back to size only and miss an
# edited sources file of the same size; size+modtime here, then cryptcheck verifies content.
# No --immutable: the sources file legitimately changes.
log "copying $DR_SOURCE_DIR (encrypted) to $remote"
rclone copy "$DR_SOURCE_DIR" vault: "${FILTER[@]}" --skip-links --bwlimit "${DR_BWLIMIT:-20M}" --stats-one-line
# cryptcheck encrypts each local file with the nonce of its remote copy and compares MD5s.
rclone cryptcheck "$DR_SOURCE_DIR" vault: "${FILTER[@]}" --skip-links --one-way
log "done: $DR_SOURCE_DIR is offsite and verified"
