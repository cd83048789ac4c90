#!/usr/bin/env bash
# Copies complete PostgreSQL dumps from the dump PVC (mounted read-only) to cold storage.
#
# A complete dump (written by dump.sh) is "$PGDUMP_DIR/<dump id>/" holding MANIFEST.sha256
# (sha256sum of every other file, relative paths) and dump-info.json; in-progress dumps are
# ".partial-*" and never leave. Each dump is verified against its manifest first, and the
# manifest is uploaded last: a remote "<prefix>/<id>/MANIFEST.sha256" therefore marks a
# complete, verified dump, and ids that have one are not copied again. Nothing remote is
# ever deleted or overwritten.
#
# Environment (no credential is ever passed as an argument or printed):
#   PGDUMP_DIR                dump directory                      default /backup/pgdump
#   DR_DEST_BUCKET            cold-storage bucket                 required
#   DR_DEST_PREFIX            key prefix in the bucket            default postgresql
#   DR_DEST_PROVIDER          rclone s3 provider                  default AWS
#   DR_DEST_REGION            bucket region                       default: rclone's
#   DR_DEST_ENDPOINT          S3 endpoint URL (non-AWS)           default: provider's
#   DR_DEST_ACCESS_KEY_ID     static credentials; when unset, the AWS SDK chain is used
#   DR_DEST_SECRET_ACCESS_KEY   (env_auth: IRSA web identity, AWS_* env, instance role)
#   DR_BWLIMIT                rclone --bwlimit                    default 20M
# Any other rclone option of the destination can be set as RCLONE_CONFIG_DEST_<OPTION>.
set -Eeuo pipefail
exec 2>&1 # one ordered log stream on stdout
trap 'echo "offsite-copy[postgresql]: failed at line $LINENO"' ERR

log() { echo "offsite-copy[postgresql]: $*"; }

# --- rclone from env only: the root filesystem is read-only, /tmp is the scratch emptyDir.
export RCLONE_CONFIG=/dev/null XDG_CACHE_HOME="${XDG_CACHE_HOME:-/tmp/.cache}"
# Debug logs print backend secrets: pin the level whatever the pod env says.
unset RCLONE_VERBOSE RCLONE_DUMP RCLONE_LOG_FILE
export RCLONE_LOG_LEVEL=INFO
: "${DR_DEST_BUCKET:?DR_DEST_BUCKET is required}"
export RCLONE_CONFIG_DEST_TYPE=s3 RCLONE_CONFIG_DEST_PROVIDER="${DR_DEST_PROVIDER:-AWS}"
# The bucket is owned by the stack: never create it (the job's IAM role can't, by design).
export RCLONE_CONFIG_DEST_NO_CHECK_BUCKET=true RCLONE_CONFIG_DEST_FORCE_PATH_STYLE=true
if [[ -n "${DR_DEST_REGION:-}" ]]; then export RCLONE_CONFIG_DEST_REGION="$DR_DEST_REGION"; fi
if [[ -n "${DR_DEST_ENDPOINT:-}" ]]; then export RCLONE_CONFIG_DEST_ENDPOINT="$DR_DEST_ENDPOINT"; fi
if [[ -n "${DR_DEST_ACCESS_KEY_ID:-}" ]]; then
  export RCLONE_CONFIG_DEST_ENV_AUTH=false RCLONE_CONFIG_DEST_ACCESS_KEY_ID="$DR_DEST_ACCESS_KEY_ID"
  export RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY="${DR_DEST_SECRET_ACCESS_KEY:?DR_DEST_SECRET_ACCESS_KEY is required with DR_DEST_ACCESS_KEY_ID}"
else
  export RCLONE_CONFIG_DEST_ENV_AUTH=true
fi
# Dumps never change once complete: --immutable turns a differing remote file into an error.
RCLONE_FLAGS=(--checksum --immutable --bwlimit "${DR_BWLIMIT:-20M}" --stats-one-line)

PGDUMP_DIR="${PGDUMP_DIR:-/backup/pgdump}"
prefix="${DR_DEST_PREFIX-postgresql}"
prefix="${prefix#/}"
prefix="${prefix%/}"
remote="dest:${DR_DEST_BUCKET}${prefix:+/$prefix}"

# True when the manifest lists exactly the dump's files (besides itself) and they all
# match: a file missing from the manifest would be shipped unverified.
verify_dump() {
  local dir=$1 line path file
  local -A listed=()
  while IFS= read -r line || [[ -n "$line" ]]; do
    # sha256sum lines: 64 hex digits, a space, ' ' (text) or '*' (binary), the path.
    [[ "$line" =~ ^[0-9a-f]{64}\ [\ *](.+)$ ]] || { log "$dir: malformed manifest line"; return 1; }
    path="${BASH_REMATCH[1]}"
    listed["${path#./}"]=1
  done <"$dir/MANIFEST.sha256"
  (
    cd "$dir" || exit 1
    shopt -s globstar dotglob nullglob
    for file in **; do
      [[ -f "$file" && "$file" != MANIFEST.sha256 ]] || continue
      [[ -n "${listed[$file]:-}" ]] || { log "$dir: $file is not in the manifest"; exit 1; }
      unset 'listed[$file]'
    done
    if ((${#listed[@]} > 0)); then log "$dir: manifest lists missing files: ${!listed[*]}"; exit 1; fi
    sha256sum --check --strict --quiet MANIFEST.sha256
  )
}

# Called under `if`, where errexit is off: every step is chained explicitly.
upload_dump() {
  local dir=$1 id=$2
  rclone copy "$dir" "$remote/$id" --exclude /MANIFEST.sha256 "${RCLONE_FLAGS[@]}" &&
    rclone copyto "$dir/MANIFEST.sha256" "$remote/$id/MANIFEST.sha256" "${RCLONE_FLAGS[@]}"
}

[[ -d "$PGDUMP_DIR" ]] || { log "dump directory $PGDUMP_DIR not found"; exit 1; }

# Ids already complete offsite (a failed listing aborts the run: errexit + pipefail).
declare -A offsite=()
listing=$(rclone lsf --files-only --max-depth 2 --include '/*/MANIFEST.sha256' "$remote")
while IFS= read -r entry; do
  [[ -n "$entry" ]] && offsite["${entry%%/*}"]=1
done <<<"$listing"

copied=0 skipped=0 failed=0
for dir in "$PGDUMP_DIR"/*/; do # the glob skips hidden .partial-* dumps
  [[ -d "$dir" ]] || continue
  dir="${dir%/}"
  id="${dir##*/}"
  if [[ ! "$id" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
    log "skipping $id: not a dump id"
    continue
  fi
  if [[ ! -f "$dir/MANIFEST.sha256" ]]; then
    log "skipping $id: no manifest (incomplete dump)"
    continue
  fi
  if [[ -n "${offsite[$id]:-}" ]]; then
    skipped=$((skipped + 1))
    continue
  fi
  log "verifying and copying $id"
  if ! verify_dump "$dir"; then
    log "NOT copying $id: it does not match its manifest"
    failed=$((failed + 1))
  elif upload_dump "$dir" "$id"; then
    log "copied $id"
    copied=$((copied + 1))
  else
    log "upload of $id failed: it has no remote manifest and will be retried next run"
    failed=$((failed + 1))
  fi
done

log "done: $copied copied, $skipped already offsite, $failed failed"
if ((failed > 0)); then exit 1; fi
