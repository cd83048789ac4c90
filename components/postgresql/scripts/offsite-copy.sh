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
#   DR_DEST_KMS_KEY_ARN       ARN of the bucket's KMS key (SSE-KMS) required
#   DR_BWLIMIT                rclone --bwlimit                    default 20M
#   DR_HEARTBEAT_URL, DR_HEARTBEAT_TIMEOUT   the dead-man's switch (heartbeat.sh)
#   DR_DUMP_MAX_AGE_SECONDS   the dump's freshness budget: older, its last run is reported stale
# Any other rclone option of the destination can be set as RCLONE_CONFIG_DEST_<OPTION>.
#
# The heartbeat also speaks for the dump, which can't ping (the chart's backup CronJob takes no
# env or volume of ours, and its image has no HTTPS client): dump.sh records each run's outcome in
# $PGDUMP_DIR/.qalita-dr-last-run ("<exit code> <epoch seconds> <dump id>"), and this copy — hourly,
# on the same PVC — pings /fail when that run failed or is older than DR_DUMP_MAX_AGE_SECONDS.
set -Eeuo pipefail
exec 2>&1 # one ordered log stream on stdout
trap 'echo "offsite-copy[postgresql]: failed at ${BASH_SOURCE[0]##*/}:$LINENO"' ERR

log() { echo "offsite-copy[postgresql]: $*"; }

# shellcheck source=../../offsite/scripts/heartbeat.sh # mounted beside this script in the pod
source "$(dirname "${BASH_SOURCE[0]}")/heartbeat.sh"
trap heartbeat_on_exit EXIT

# shellcheck source=../../offsite/scripts/rclone-dest.sh # mounted beside this script in the pod
source "$(dirname "${BASH_SOURCE[0]}")/rclone-dest.sh" # the `dest` remote from DR_DEST_*
# Dumps never change once complete: --immutable turns a differing remote file into an error.
RCLONE_FLAGS=(--checksum --immutable --bwlimit "${DR_BWLIMIT:-20M}" --stats-one-line)

PGDUMP_DIR="${PGDUMP_DIR:-/backup/pgdump}"
remote=$(dest_remote postgresql)

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

# The dump's last run, as dump.sh recorded it (none yet: a fresh install, or dumps older than the record).
dump_record="$PGDUMP_DIR/.qalita-dr-last-run"
if [[ -e "$dump_record" ]]; then
  dump_rc='' dump_at='' dump_ref=''
  read -r dump_rc dump_at dump_ref <"$dump_record" || true
  if [[ ! "$dump_rc" =~ ^[0-9]+$ || ! "$dump_at" =~ ^[0-9]+$ ]]; then
    HEARTBEAT_PROBLEM="the dump's record $dump_record is unreadable or malformed"
  elif ((dump_rc != 0)); then
    HEARTBEAT_PROBLEM="the last dump failed (exit $dump_rc at $(date -u -d "@$dump_at" +%Y-%m-%dT%H:%M:%SZ))"
  elif [[ "${DR_DUMP_MAX_AGE_SECONDS:-}" =~ ^[0-9]+$ ]] && (($(date +%s) - dump_at > DR_DUMP_MAX_AGE_SECONDS)); then
    HEARTBEAT_PROBLEM="no dump has ended since $(date -u -d "@$dump_at" +%Y-%m-%dT%H:%M:%SZ) (more than ${DR_DUMP_MAX_AGE_SECONDS}s ago)"
  else
    log "the last dump ($dump_ref) ended well at $(date -u -d "@$dump_at" +%Y-%m-%dT%H:%M:%SZ)"
  fi
fi

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
