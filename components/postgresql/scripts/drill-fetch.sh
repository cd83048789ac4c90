#!/usr/bin/env bash
# The restore drill's first step when its source is cold storage: fetch-dump.sh (the restore Job's
# own fetch), timed, in the shell image with rclone. It records how the fetch ended instead of
# failing the pod: the drill container then reports a failed fetch like any failed check — with
# its reason in DRILL_RESULT and in the pushed metrics — where an init container in Init:Error
# would leave the drill's metrics silent.
#
# Environment: fetch-dump.sh's (DR_FETCH_DIR, DR_DEST_*, DR_BWLIMIT; DR_RESTORE_FROM unset: the
# newest complete dump). Leaves in DR_FETCH_DIR, besides fetch-dump.sh's dump/ and dump-id:
#   fetch.log      fetch-dump.sh's output
#   fetch-result   "<exit code> <milliseconds>"
set -uo pipefail
exec 2>&1
: "${DR_FETCH_DIR:?DR_FETCH_DIR is required}"

started=$(date +%s%3N)
bash "$(dirname "${BASH_SOURCE[0]}")/fetch-dump.sh" | tee "$DR_FETCH_DIR/fetch.log"
status=${PIPESTATUS[0]}
printf '%s %s\n' "$status" "$(($(date +%s%3N) - started))" >"$DR_FETCH_DIR/fetch-result"
