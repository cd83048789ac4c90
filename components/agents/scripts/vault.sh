# shellcheck shell=bash
# Sourced by the agents' offsite-copy.sh and restore.sh, after rclone-dest.sh and with `log` and
# `remote` defined: the rclone crypt remote `vault:` over $remote, and the checks both need.
#
#   DR_CRYPT_PASSWORD, DR_CRYPT_SALT   crypt password and salt (password2), plain      required
#   DR_EXCLUDE_FROM                    rclone exclude file of credential files        required

: "${remote:?vault.sh needs \$remote, set by the script that sources it}"

# rclone wants its own obscured form; feeding it on stdin from a builtin keeps the plain value
# out of every process's arguments.
obscure() {
  [[ "$2" != *$'\n'* ]] || { log "$1 must be a single line" >&2; return 1; }
  printf '%s\n' "$2" | rclone obscure -
}
: "${DR_CRYPT_PASSWORD:?DR_CRYPT_PASSWORD is required}" "${DR_CRYPT_SALT:?DR_CRYPT_SALT is required}"
RCLONE_CONFIG_VAULT_PASSWORD=$(obscure DR_CRYPT_PASSWORD "$DR_CRYPT_PASSWORD")
RCLONE_CONFIG_VAULT_PASSWORD2=$(obscure DR_CRYPT_SALT "$DR_CRYPT_SALT")
export RCLONE_CONFIG_VAULT_TYPE=crypt RCLONE_CONFIG_VAULT_REMOTE="$remote"
export RCLONE_CONFIG_VAULT_PASSWORD RCLONE_CONFIG_VAULT_PASSWORD2

# An empty or missing exclude list would move the API token: refuse instead.
: "${DR_EXCLUDE_FROM:?DR_EXCLUDE_FROM is required (credential file patterns)}"
patterns=0
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ -z "${line//[[:space:]]/}" || "$line" == [#\;]* ]] || patterns=$((patterns + 1))
done <"$DR_EXCLUDE_FROM"
((patterns > 0)) || { log "$DR_EXCLUDE_FROM lists no pattern: refusing to move credential files"; exit 1; }

count_lines() {
  local n=0 line
  while IFS= read -r line; do if [[ -n "$line" ]]; then n=$((n + 1)); fi; done
  echo "$n"
}
# crypt silently hides names it can't decrypt: with another password or salt a copy would mix
# keys in one prefix, and a restore would "succeed" with nothing and start the worker empty.
stored=$(rclone lsf -R --files-only "$remote" | count_lines)
readable=$(rclone lsf -R --files-only vault: | count_lines)
if ((stored != readable)); then
  log "$((stored - readable)) of $stored objects under $remote can't be decrypted with DR_CRYPT_PASSWORD/DR_CRYPT_SALT: refusing to mix keys"
  exit 1
fi
