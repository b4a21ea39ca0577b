#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: scripts/run-tests.sh [PATTERN]
# Runs the lines of test/*.list and of the rooms' own ROOM/tests/*.list
# (format: see test/module.mk), or only those
# matching the extended regular expression PATTERN. A line's PROGRAM is a
# name in build/x64/tests/, or, when it holds a '/', a path from the
# repository's root (build/deps/node/node.exe); the run's working directory
# is the root, so its arguments may name files of the tree
# (test/node/http.js). Each run gets a fresh copy of the template prefix
# build/test-prefix and its own wineserver, so one test's catalog changes
# never reach another. A run passes when it exits 0 within TEST_TIMEOUT
# seconds (default 300: far above any line's quiet time, so that a loaded
# machine does not fail a line that is only slow) and prints Check summaries
# with Checks > 0 and no failures or errors, or (a program that is not a
# Check program) a line "N passed, M failed" with N > 0 and M = 0. Logs:
# build/test-logs/.
# KEEP_PREFIX=1 keeps the prefix of a failed run (build/test-prefixes/).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
template=$repo/build/test-prefix
work=$repo/build/test-prefixes
logs=$repo/build/test-logs
limit=${TEST_TIMEOUT:-300}
pattern=${1:-}

shopt -s nullglob
# Every room's ROOM/tests/, at any depth (provider/capture/tests/).
lists=(test/*.list)
mapfile -t -O "${#lists[@]}" lists < <(find . \( -path ./build -o -path ./.git \) -prune -o \
                                         -path '*/tests/*.list' -print | sed 's|^\./||' | sort)
[ "${#lists[@]}" -gt 0 ] || { echo "run-tests: no test/*.list" >&2; exit 1; }
mapfile -t lines < <(sed -e 's/\r$//' -e 's/^[[:space:]]*//' "${lists[@]}" |
                     grep -v -e '^#' -e '^$' | grep -E -e "${pattern:-.}" || true)
[ "${#lines[@]}" -gt 0 ] || { echo "run-tests: no test line matches '$pattern'" >&2; exit 1; }

# One run at a time per tree: a run owns build/test-prefixes and the logs.
# Fd 9 holds the lock; commands that may leave processes behind get 9>&-.
mkdir -p "$work"
exec 9>"$work.lock"
flock -n 9 || { echo "run-tests: waiting for another run in this tree" >&2; flock 9; }

scripts/prefix.sh "$template" 9>&-
rm -rf "$logs"
mkdir -p "$logs"

# A copy shares (hard-links) only Wine's own binaries with the template:
# nothing writes them in place (lspkit-wine replaces, never overwrites, and
# prefix.sh rebuilds the template when Wine changes). Everything else (the
# *.reg files, ini files, hosts...) is copied. ~0.03 s instead of ~2 s.
clone_prefix() {
    local bin='.*\.(dll|exe|sys|drv|ocx|cpl|acm|tlb|ds|com|nls|msstyles)'
    mkdir -p "$2"
    (cd "$1" && find . -regextype posix-extended -type f ! -iregex "$bin" -print0) |
        tar -C "$1" --null -T - -cf - | tar -C "$2" -xpf -
    cp -aln "$1/." "$2/"
}

# Ends every Wine process of a prefix (its server kills them), waits, and
# removes the server's socket directory, which Wine leaves behind (named
# after the prefix's device and inode, under a directory that Debian's Wine
# records in PREFIX/wineserver, upstream's in /tmp/.wine-UID).
stop_prefix() {
    WINEPREFIX=$1 wineserver -k 2>/dev/null || true
    WINEPREFIX=$1 wineserver -w
    [ -d "$1" ] || return 0
    local name base
    name=$(stat -c '%d %i' "$1" | { read -r d i; printf 'server-%x-%x' "$d" "$i"; })
    for base in "/tmp/$(cat "$1/wineserver" 2>/dev/null)" "/tmp/.wine-$(id -u)"; do
        rm -f "$base/$name/lock"
        rmdir "$base/$name" 2>/dev/null || true
    done
}

current=""
cleanup() { if [ -n "$current" ]; then stop_prefix "$current"; rm -rf "$current"; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Leftovers of an interrupted run.
for stale in "$work"/*; do stop_prefix "$stale"; rm -rf "$stale"; done

export CK_NOFORK=yes WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-"mscoree,mshtml=;winemenubuilder.exe=d"}
# Node.js refuses the Windows version Wine reports unless told not to check.
export NODE_SKIP_PLATFORM_CHECK=1
summary_re='^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+$'
# What a program that is not a Check program (test/go/, test/node/) ends with.
plain_re='^([A-Za-z0-9_.-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'

# Prints why the run logged in $1 with exit code $2 failed; nothing if it passed.
verdict() {
    local checks=0 bad=0 n f e
    case $2 in
        0) ;;
        124|137) echo "timed out after ${limit}s"; return ;;
        *) echo "exit code $2"; return ;;
    esac
    while IFS=' ,' read -r _ _ n _ f _ e; do
        checks=$((checks + n)); bad=$((bad + f + e))
    done < <(tr -d '\r' <"$1" | grep -E "$summary_re")
    # Without a Check summary, the program's own last "N passed, M failed"
    # line (a Check program may print such lines of other programs).
    if [ "$checks" = 0 ]; then
        read -r checks bad < <(tr -d '\r' <"$1" | grep -E "$plain_re" | tail -n 1 |
            sed -E 's/^([^ ]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/') || true
        checks=${checks:-0} bad=${bad:-0}
    fi
    if [ "$checks" = 0 ]; then echo "no Check summary with Checks > 0, nor a line 'N passed, M failed' with N > 0"
    elif [ "$bad" != 0 ]; then echo "the program reports failures or errors"
    fi
}

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# The layered arrangement: lspkit installed over the base entries with its own
# installer, as a user would, before the program runs. Output goes to the log.
install_lsp() {
    local prefix=$1 log=$2
    echo "+ lspinst install" >>"$log"
    WINEPREFIX=$prefix timeout -k 10 "$limit" "$repo/bin/lspkit-wine" \
        "$repo/build/x64/lspinst.exe" install </dev/null >>"$log" 2>&1 9>&-
}

# Every run installs the tests' build of the providers (test/probes.mk):
# the release lspkit.dll with the probes that the layered tests read.
export LSPKIT_PROVIDER_DIR=$repo/build/x64/tests/providers

passed=0 failed=0 i=0
for line in "${lines[@]}"; do
    i=$((i + 1))
    read -r -a words <<<"$line"
    arrangement=${words[0]} program=${words[1]:-}
    case $program in
        */*) program=$repo/$program ;;
        *) program=$repo/build/x64/tests/$program ;;
    esac
    args=("${words[@]:2}")
    name=$(printf '%03d-%s' "$i" "$(tr -cs 'A-Za-z0-9._-' '_' <<<"$line" | cut -c1-80)")
    name=${name%_}
    log=$logs/$name.log
    case $arrangement in
        host) runner=(wine) ;;
        frontend|layered) runner=("$repo/bin/lspkit-wine") ;;
        *) runner=() ;;
    esac

    rc=0 start=$EPOCHREALTIME
    if [ "${#runner[@]}" = 0 ]; then
        echo "unknown arrangement '$arrangement' (host|frontend|layered)" >"$log"; rc=2
    elif [ ! -f "$program" ]; then
        echo "no such program: $program (did make tests and scripts/deps.sh run?)" >"$log"; rc=2
    else
        current=$work/$name
        : >"$log"
        clone_prefix "$template" "$current"
        WINEPREFIX=$current wineserver -p 9>&-
        [ "$arrangement" = layered ] && ! install_lsp "$current" "$log" && rc=3
        # In the background, so that an interrupt is handled at once (timeout
        # puts itself in its own process group, out of reach of Ctrl-C).
        if [ "$rc" = 0 ]; then
            WINEPREFIX=$current LSPKIT_ARRANGEMENT=$arrangement \
                timeout -k 10 "$limit" "${runner[@]}" "$program" "${args[@]}" \
                </dev/null >>"$log" 2>&1 9>&- &
            wait $! || rc=$?
        fi
        stop_prefix "$current"
    fi
    why=$(verdict "$log" "$rc")

    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "PASS $line ($(elapsed "$start") s)"
    else
        failed=$((failed + 1))
        echo "FAIL $line ($(elapsed "$start") s): $why; log: ${log#"$repo"/}"
    fi
    tr -d '\r' <"$log" | grep -E "$summary_re|$plain_re" | sed 's/^/  /' || true
    if [ -n "$why" ]; then
        # Check's own failure and error lines tell most, or a program's
        # FAIL lines; else the log's end.
        details=$(tr -d '\r' <"$log" | grep -E '^[^:]+:[0-9]+:[FE]:|^FAIL ' | head -n 20 || true)
        [ -n "$details" ] || details=$(tr -d '\r' <"$log" | tail -n 15)
        printf '%s\n' "$details" | sed 's/^/  | /'
        if [ "${KEEP_PREFIX:-0}" = 1 ] && [ -n "$current" ]; then
            echo "  prefix kept: ${current#"$repo"/}"
            current=""
        fi
    fi
    [ -z "$current" ] || rm -rf "$current"
    current=""
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
