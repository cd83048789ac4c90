# shellcheck shell=bash
# Sourced by every offsite copy: the dead-man's switch (docs/monitoring.md › Heartbeat). A copy
# installs `trap heartbeat_on_exit EXIT`; when it ends, one ping goes to DR_HEARTBEAT_URL — the URL
# itself on success, <url>/fail on failure or when the copy set HEARTBEAT_PROBLEM (what it found
# wrong beyond its own run: the PostgreSQL copy relays the dump's outcome) — and the exit code
# stays the copy's. The ping never blocks the backup: one attempt, at most DR_HEARTBEAT_TIMEOUT
# seconds, its failure logged and otherwise ignored.
#
# The URL is a credential (healthchecks.io ping URLs are capabilities: whoever has one can ping,
# and so silence the alarm): it is never printed, and rclone's output, which could hold it in an
# error message, is discarded. rclone is the one HTTPS client of the copy pod (the shell image has
# no curl, and bash's /dev/tcp speaks no TLS); the URL is in its arguments, which only this
# container's own processes can read.
#
#   DR_HEARTBEAT_URL       from Secret <release>-dr-heartbeat (optional: unset = no ping)
#   DR_HEARTBEAT_TIMEOUT   seconds the ping may take                              default 10

HEARTBEAT_PROBLEM=''

# heartbeat_ping success|failure
heartbeat_ping() {
  local url=${DR_HEARTBEAT_URL:-} limit=${DR_HEARTBEAT_TIMEOUT:-10} status=0
  [[ -n $url ]] || return 0
  [[ $limit =~ ^[1-9][0-9]{0,2}$ ]] || limit=10
  url=${url%/}
  if [[ $1 != success ]]; then url=$url/fail; fi
  # --stdout: healthchecks answers "OK", which goes nowhere; one try, bounded twice over.
  timeout "$limit" rclone copyurl --stdout --contimeout "${limit}s" --timeout "${limit}s" \
    --retries 1 --low-level-retries 1 "$url" >/dev/null 2>&1 || status=$?
  if ((status == 0)); then
    echo "heartbeat: $1 pinged"
  else
    echo "heartbeat: WARNING: the $1 ping failed ($([[ $status == 124 ]] && echo "no answer within ${limit}s" || echo "exit $status")); the backup's outcome is unchanged"
  fi
}

heartbeat_on_exit() {
  local rc=$?
  trap - EXIT
  set +e
  if ((rc == 0)) && [[ -z $HEARTBEAT_PROBLEM ]]; then
    heartbeat_ping success
  else
    if [[ -n $HEARTBEAT_PROBLEM ]]; then echo "heartbeat: reporting a failure: $HEARTBEAT_PROBLEM"; fi
    heartbeat_ping failure
  fi
  exit "$rc"
}
