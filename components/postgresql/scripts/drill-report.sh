#!/bin/sh
# QALITA DR: the restore drill's last container. Reports the outcome drill.sh left in
# DR_DRILL_REPORT_DIR where operators look, then ends the Job with the drill's own exit code:
#   1. the DRILL_RESULT JSON into the status ConfigMap, data key DR_DRILL_ELEMENT (a JSON merge
#      patch: other elements' keys stay);
#   2. a core/v1 Event about the drill's CronJob — reason DrillSucceeded (Normal) or DrillFailed
#      (Warning), the drill's one-line summary as message — carrying the CronJob's uid, which
#      `kubectl describe cronjob` filters events by;
#   3. the dead-man's switch, when its Secret exists: DR_HEARTBEAT_URL on success, <url>/fail
#      otherwise (any non-zero code: the Job failed), the summary as the ping's body.
# A step that fails is reported on stderr and changes nothing else: the verdict is the drill's.
#
# Runs in the curl project's image (busybox sh + curl; the release's PostgreSQL image has no HTTP
# client, and the API server speaks HTTPS only), with the pod's ServiceAccount token mounted in
# this container only. Neither the token nor the heartbeat URL (a credential: whoever has it can
# ping) is ever printed or passed as an argument: curl reads both from its config on stdin.
#
# Environment:
#   DR_DRILL_REPORT_DIR      exit-code, result.json, summary, as drill.sh left them   required
#   DR_DRILL_ELEMENT         the ConfigMap's data key                                 required
#   DR_STATUS_CONFIGMAP      the status ConfigMap                                     required
#   DR_DRILL_CRONJOB         the CronJob the Event is about                           required
#   DR_KUBE_API              the API server                     default https://kubernetes.default.svc
#   DR_SERVICE_ACCOUNT_DIR   token, ca.crt, namespace   default /var/run/secrets/kubernetes.io/serviceaccount
#   DR_HEARTBEAT_URL         healthchecks.io-style ping URL (optional)
#   DR_HEARTBEAT_TIMEOUT     seconds the ping may take                                default 10
set -u

log() { printf '%s report: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
warn() { log "WARNING: $*" >&2; }

dir=${DR_DRILL_REPORT_DIR:?DR_DRILL_REPORT_DIR is required}
element=${DR_DRILL_ELEMENT:?DR_DRILL_ELEMENT is required}
configmap=${DR_STATUS_CONFIGMAP:?DR_STATUS_CONFIGMAP is required}
cronjob=${DR_DRILL_CRONJOB:?DR_DRILL_CRONJOB is required}
api=${DR_KUBE_API:-https://kubernetes.default.svc}
account=${DR_SERVICE_ACCOUNT_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}
work=$(mktemp -d) || exit 1 # 0700: the token goes through files here
trap 'rm -rf -- "$work"' EXIT

# The drill's verdict first: without it there is nothing true to report.
code=$(cat -- "$dir/exit-code" 2>/dev/null)
case $code in
  '' | *[!0-9]*)
    warn "the drill left no outcome in $dir (killed before its end?): nothing to report, the Job fails"
    exit 1
    ;;
esac
result=$(cat -- "$dir/result.json")
summary=$(cat -- "$dir/summary")

# A JSON string: backslashes and quotes escaped (drill.sh leaves no control character).
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# api METHOD PATH [CONTENT-TYPE BODY-FILE]: prints the HTTP status ("000": no answer), the
# response in $work/response, curl's complaint in $work/error.
api() {
  printf 'header = "Authorization: Bearer %s"\n' "$token" >"$work/auth"
  if [ $# -gt 2 ]; then
    printf 'header = "Content-Type: %s"\ndata-binary = "@%s"\n' "$3" "$4" >>"$work/auth"
  fi
  curl -sS -K - -X "$1" --cacert "$account/ca.crt" --connect-timeout 5 --max-time 20 -A qalita-dr-drill-report \
    -o "$work/response" -w '%{http_code}' "$api$2" <"$work/auth" 2>"$work/error"
}

# What a refused or failed call says: the API's own message, else curl's.
why() { # STATUS
  message=$(grep -oE '"message": *"([^"\\]|\\.)*"' "$work/response" 2>/dev/null | head -n 1 | sed 's/^"message": *"//; s/"$//; s/\\"/"/g')
  echo "HTTP $1${message:+: $message}$([ -s "$work/error" ] && printf ' (%s)' "$(head -n 1 "$work/error")")"
}

report_to_kubernetes() {
  if ! token=$(cat -- "$account/token" 2>/dev/null) || ! namespace=$(cat -- "$account/namespace" 2>/dev/null); then
    warn "no ServiceAccount token in $account: no status ConfigMap, no Event"
    return
  fi

  printf '{"data":{%s:%s}}' "$(json_string "$element")" "$(json_string "$result")" >"$work/patch.json"
  status=$(api PATCH "/api/v1/namespaces/$namespace/configmaps/$configmap" application/merge-patch+json "$work/patch.json")
  case $status in
    2??) log "result written to ConfigMap $namespace/$configmap (key $element)" ;;
    *) warn "could not write the result to ConfigMap $namespace/$configmap: $(why "$status")" ;;
  esac

  # The CronJob's uid: without it `kubectl describe cronjob` does not list the Event.
  uid=''
  status=$(api GET "/apis/batch/v1/namespaces/$namespace/cronjobs/$cronjob")
  case $status in
    2??) uid=$(grep -o '"uid": *"[0-9a-f-]*"' "$work/response" | head -n 1 | sed 's/.*"\([0-9a-f-]*\)"$/\1/') ;;
    *) warn "could not read CronJob $namespace/$cronjob (the Event goes without its uid): $(why "$status")" ;;
  esac
  if [ "$code" = 0 ]; then reason=DrillSucceeded type=Normal; else reason=DrillFailed type=Warning; fi
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  printf '{"apiVersion":"v1","kind":"Event","metadata":{"generateName":%s,"namespace":%s},"involvedObject":{"apiVersion":"batch/v1","kind":"CronJob","name":%s,"namespace":%s%s},"reason":"%s","message":%s,"type":"%s","source":{"component":"qalita-dr-drill"},"reportingComponent":"qalita-dr-drill","reportingInstance":%s,"firstTimestamp":"%s","lastTimestamp":"%s","count":1}' \
    "$(json_string "$cronjob.")" "$(json_string "$namespace")" "$(json_string "$cronjob")" "$(json_string "$namespace")" \
    "${uid:+,\"uid\":\"$uid\"}" "$reason" "$(json_string "restore drill $summary")" "$type" \
    "$(json_string "$(hostname 2>/dev/null || echo "$cronjob")")" "$now" "$now" >"$work/event.json"
  status=$(api POST "/api/v1/namespaces/$namespace/events" application/json "$work/event.json")
  case $status in
    2??) log "Event $reason emitted on CronJob $namespace/$cronjob" ;;
    *) warn "could not emit the Event $reason on CronJob $namespace/$cronjob: $(why "$status")" ;;
  esac
}

ping_heartbeat() {
  url=${DR_HEARTBEAT_URL:-}
  limit=${DR_HEARTBEAT_TIMEOUT:-10}
  [ -n "$url" ] || return 0
  case $limit in '' | *[!0-9]*) limit=10 ;; esac
  url=${url%/} what=success
  if [ "$code" != 0 ]; then url=$url/fail what=failure; fi
  printf 'url = "%s"\n' "$url" >"$work/ping"
  failed=0
  # -s without -S: curl's own message could quote the URL.
  status=$(curl -s -K - -X POST --data-binary "@$dir/summary" --max-time "$limit" -o /dev/null -w '%{http_code}' <"$work/ping") || failed=$?
  case $status:$failed in
    2??:0) log "heartbeat: $what pinged" ;;
    *:28) warn "heartbeat: the $what ping got no answer within ${limit}s" ;;
    000:*) warn "heartbeat: the $what ping failed (curl exit $failed)" ;;
    *) warn "heartbeat: the $what ping was answered HTTP $status" ;;
  esac
}

log "the drill ended with exit code $code: $summary"
report_to_kubernetes
ping_heartbeat
exit "$code"
