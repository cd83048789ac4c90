#!/usr/bin/env bash
# Init container of the worker: brings ~/.qalita/ back from the encrypted offsite copy
# (written by offsite-copy.sh), then optionally re-registers the worker.
# - Credential files ($DR_EXCLUDE_FROM patterns) are never restored, even if some reached
#   the bucket: the worker logs in again and gets fresh ones.
# - Files already in the target are never overwritten (--ignore-existing): whatever is on
#   the volume is newer than the backup, and a retried init container resumes where it was.
# - With DR_RUN_LOGIN=1: `qalita worker login` (QALITA_WORKER_* env), then
#   `qalita source push`, which re-links the restored sources to platform ids by name and
#   type. qalita 2.x reads ~/.qalita whatever QALITA_HOME says, so HOME is set to the
#   target's parent and the target must end in /.qalita.
#
# Environment (no credential is ever passed as an argument or printed):
#   DR_TARGET_DIR             where ~/.qalita is mounted          default /root/.qalita
#   DR_RUN_LOGIN              1: login + source push afterwards   default 0
#   DR_EXCLUDE_FROM, DR_CRYPT_PASSWORD, DR_CRYPT_SALT, DR_DEST_*, DR_BWLIMIT:
#                             as in offsite-copy.sh (DR_DEST_PREFIX default agents)
set -Eeuo pipefail
exec 2>&1 # one ordered log stream on stdout
trap 'echo "restore[agents]: failed at ${BASH_SOURCE[0]##*/}:$LINENO"' ERR

log() { echo "restore[agents]: $*"; }

# shellcheck source=../../offsite/scripts/rclone-dest.sh # mounted beside this script in the pod
source "$(dirname "${BASH_SOURCE[0]}")/rclone-dest.sh" # the `dest` remote from DR_DEST_*

remote=$(dest_remote agents)

# shellcheck source=vault.sh
source "$(dirname "${BASH_SOURCE[0]}")/vault.sh" # `vault:` (crypt over $remote) and its checks

DR_TARGET_DIR="${DR_TARGET_DIR:-/root/.qalita}"
DR_TARGET_DIR="${DR_TARGET_DIR%/}"
if [[ "${DR_RUN_LOGIN:-0}" == 1 && "$DR_TARGET_DIR" != */.qalita ]]; then
  log "DR_TARGET_DIR must end in /.qalita for qalita to find it (it reads \$HOME/.qalita)"
  exit 1
fi
mkdir -p "$DR_TARGET_DIR"

if ((stored == 0)); then
  log "no offsite copy under $remote: nothing to restore"
else
  log "restoring from $remote ($stored objects) into $DR_TARGET_DIR"
  # crypt authenticates every block as it decrypts: a corrupted object fails the copy.
  rclone copy vault: "$DR_TARGET_DIR" --exclude-from "$DR_EXCLUDE_FROM" --ignore-existing \
    --bwlimit "${DR_BWLIMIT:-20M}" --stats-one-line
fi

if [[ "${DR_RUN_LOGIN:-0}" == 1 ]]; then
  # </dev/null: `source push` may ask for confirmation (public sources); answer no, never hang.
  home="${DR_TARGET_DIR%/.qalita}"
  export HOME="${home:-/}" QALITA_HOME="$DR_TARGET_DIR"
  log "qalita worker login"
  qalita worker login </dev/null
  log "qalita source push"
  qalita source push </dev/null
fi
log "done"
