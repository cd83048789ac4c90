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
#   DR_BWLIMIT                rclone --bwlimit                    default 20M
# Other rclone options: RCLONE_CONFIG_DEST_<OPTION> / RCLONE_CONFIG_VAULT_<OPTION>.
set -Eeuo pipefail
exec 2>&1 # one ordered log stream on stdout
trap 'echo "offsite-copy[agents]: failed at line $LINENO"' ERR

log() { echo "offsite-copy[agents]: $*"; }

source "${DR_LIB_DIR:-$(dirname "${BASH_SOURCE[0]}")}/rclone-dest.sh" # the `dest` remote from DR_DEST_*

remote=$(dest_remote agents)

# --- crypt remote "vault" over the prefix. rclone wants its own obscured form; feeding it
# on stdin from a builtin keeps the plain value out of every process's arguments.
obscure() {
  [[ "$2" != *$'\n'* ]] || { log "$1 must be a single line" >&2; return 1; }
  printf '%s\n' "$2" | rclone obscure -
}
: "${DR_CRYPT_PASSWORD:?DR_CRYPT_PASSWORD is required}" "${DR_CRYPT_SALT:?DR_CRYPT_SALT is required}"
RCLONE_CONFIG_VAULT_PASSWORD=$(obscure DR_CRYPT_PASSWORD "$DR_CRYPT_PASSWORD")
RCLONE_CONFIG_VAULT_PASSWORD2=$(obscure DR_CRYPT_SALT "$DR_CRYPT_SALT")
export RCLONE_CONFIG_VAULT_TYPE=crypt RCLONE_CONFIG_VAULT_REMOTE="$remote"
export RCLONE_CONFIG_VAULT_PASSWORD RCLONE_CONFIG_VAULT_PASSWORD2

# An empty or missing exclude list would ship the API token: refuse instead.
: "${DR_EXCLUDE_FROM:?DR_EXCLUDE_FROM is required (credential file patterns)}"
patterns=0
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ -z "${line//[[:space:]]/}" || "$line" == [#\;]* ]] || patterns=$((patterns + 1))
done <"$DR_EXCLUDE_FROM"
((patterns > 0)) || { log "$DR_EXCLUDE_FROM lists no pattern: refusing to copy credentials"; exit 1; }

count_lines() {
  local n=0 line
  while IFS= read -r line; do if [[ -n "$line" ]]; then n=$((n + 1)); fi; done
  echo "$n"
}
# crypt silently hides names it can't decrypt: with another password or salt the prefix
# would look empty and fill up with files nobody can restore with a single key.
stored=$(rclone lsf -R --files-only "$remote" | count_lines)
readable=$(rclone lsf -R --files-only vault: | count_lines)
if ((stored != readable)); then
  log "$((stored - readable)) of $stored objects under $remote can't be decrypted with DR_CRYPT_PASSWORD/DR_CRYPT_SALT: refusing to mix keys"
  exit 1
fi

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
