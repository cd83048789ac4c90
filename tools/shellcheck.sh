#!/usr/bin/env bash
# Runs shellcheck on every shell script of the project (npm run lint:shell; .ci/run runs it).
# Scripts that source a file beside them in their pod name it with a `# shellcheck source=`
# directive relative to their own folder; sourced files declare their shell.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
command -v shellcheck >/dev/null || { echo "shellcheck is not installed: apt-get install -y shellcheck" >&2; exit 1; }
mapfile -t scripts < <(git ls-files --cached --others --exclude-standard -- '*.sh' .ci/run)
shellcheck --external-sources --source-path=SCRIPTDIR "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"
