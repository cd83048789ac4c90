#!/usr/bin/env bash
# Checks that the programs the tests run for real are installed: each Debian package listed in
# .ci/apt-packages.txt (PostgreSQL 15 server binaries, rclone, shellcheck, …). npm's `pretest`
# runs it, and so does .ci/run.
#
# - All present (dpkg says installed, or the package's probe command/file exists): prints one line,
#   exits 0, calls no apt.
# - Something missing, apt-get here, and root or passwordless sudo: `apt-get update` once, then
#   installs what is missing. A package that the apt sources do not have (Ubuntu 24.04 has no
#   postgresql-15) stops it with exit 1 and the exact commands that add the source and install.
# - Something missing otherwise (not root, no sudo without a password, no apt-get): exit 1 at once,
#   naming the command to run. It never skips silently.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

LIST=.ci/apt-packages.txt
me="test-prereqs"
fail() { printf '%s: %s\n' "$me" "$*" >&2; exit 1; }

# Each line of the list: PACKAGE [PROBE]. PROBE, an absolute path or a command on PATH, proves the
# program is there when dpkg does not know the package (installed some other way); by default the
# package's own name as a command.
packages=()
probes=()
while read -r package probe _; do
    case "$package" in "" | "#"*) continue ;; esac
    packages+=("$package")
    probes+=("${probe:-$package}")
done < "$LIST"
[ "${#packages[@]}" -gt 0 ] || fail "$LIST lists no package"

present() { # PACKAGE PROBE
    if command -v dpkg-query > /dev/null 2>&1 \
        && [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; then
        return 0
    fi
    case "$2" in
        /*) [ -e "$2" ] ;;
        *) command -v "$2" > /dev/null 2>&1 ;;
    esac
}

missing_packages() {
    local i
    for i in "${!packages[@]}"; do
        present "${packages[$i]}" "${probes[$i]}" || printf '%s\n' "${packages[$i]}"
    done
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -eq 0 ]; then
    echo "$me: ${packages[*]} present"
    exit 0
fi
echo "$me: missing ${missing[*]}"

if ! command -v apt-get > /dev/null 2>&1; then
    fail "no apt-get here: install the equivalents of the Debian packages ${missing[*]} (see $LIST: each line's second field is the file or command the tests use), then re-run"
fi

# How to run apt-get as root: directly, with passwordless sudo, or not at all.
as_root=()
prefix=""
if [ "$(id -u)" -ne 0 ]; then
    prefix="sudo "
    if command -v sudo > /dev/null 2>&1 && sudo -n true 2> /dev/null; then
        as_root=(sudo -n)
    else
        hint=""
        case " ${missing[*]}" in *" postgresql-"[0-9]*)
            hint="
(If apt says that a postgresql-NN package has no installation candidate, as on Ubuntu 24.04, first run
    sudo apt-get install -y postgresql-common && sudo /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y)" ;;
        esac
        fail "not root and no passwordless sudo: run
    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}
then re-run.$hint"
    fi
fi
apt_get() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }

echo "$me: ${prefix}apt-get update"
apt_get update -q > /dev/null || fail "${prefix}apt-get update failed (output above)"

# Which of the missing packages the apt sources offer at all.
unavailable=()
for package in "${missing[@]}"; do
    candidate=$(apt-cache policy "$package" 2> /dev/null | awk '$1 == "Candidate:" { print $2 }')
    if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then unavailable+=("$package"); fi
done
if [ "${#unavailable[@]}" -gt 0 ]; then
    pgdg=""
    for package in "${unavailable[@]}"; do
        case "$package" in postgresql-[0-9]* | postgresql-client-[0-9]*)
            # This release's own PostgreSQL is another major version: the PostgreSQL Global
            # Development Group's apt repository has every supported one.
            pgdg="    ${prefix}apt-get install -y postgresql-common && ${prefix}/usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y
" ;;
        esac
    done
    fail "not in this machine's apt sources: ${unavailable[*]}. Run
${pgdg:-    (add an apt source that has them)
}    ${prefix}apt-get install -y --no-install-recommends ${missing[*]}
then re-run."
fi

echo "$me: ${prefix}apt-get install ${missing[*]}"
apt_get install -y -q --no-install-recommends "${missing[@]}" || fail "${prefix}apt-get install -y --no-install-recommends ${missing[*]} failed (output above)"

mapfile -t still < <(missing_packages)
[ "${#still[@]}" -eq 0 ] || fail "still missing after apt-get install: ${still[*]} (check $LIST's probes)"
echo "$me: installed ${missing[*]}"
