#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: scripts/prefix.sh [DIR]   (default: build/wineprefix)
# Creates and initialises a Wine prefix for lspkit when DIR is not one yet.
# The prefix has no crash debugger, so a crashing program exits non-zero
# at once, instead of winedbg dumping its state and often exiting 0. Deleting
# AeDebug's Debugger value is not enough: Wine 8 then falls back to
# "winedbg --auto" (kernelbase start_debugger); an empty command line cannot
# be started, so the crash ends the process with its exception code.
# A stamp file holding the Wine version marks a complete prefix; a half-made
# one, or one made by another Wine version (whose first start would rewrite
# files that test copies share with it), is rebuilt. A non-empty directory
# that this script did not start is never touched.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$repo/build/wineprefix}
mkdir -p "$(dirname "$dir")"
dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
done_stamp=$dir/.lspkit-prefix
partial=$dir/.lspkit-prefix-partial

export WINEPREFIX=$dir WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine_version=$(wine --version)
ready() { [ -f "$done_stamp" ] && [ "$(cat "$done_stamp")" = "$wine_version" ]; }
ready && exit 0
# Runs of bin/lspkit-wine started together on a new prefix make it once:
# the first takes the lock and makes it, the others wait and find it ready.
# Wine is started without fd 8: its server outlives this script.
exec 8>"$dir.lock"
flock 8
ready && exit 0
if [ -f "$done_stamp" ]; then
    echo "prefix.sh: $dir was made by $(cat "$done_stamp"), rebuilding for $wine_version"
elif [ -n "$(ls -A "$dir" 2>/dev/null)" ] && [ ! -f "$partial" ]; then
    echo "prefix.sh: $dir exists and was not made by this script; remove it or pick another" >&2
    exit 1
fi

echo "prefix.sh: creating Wine prefix $dir"
rm -rf "$dir"
mkdir -p "$dir"
touch "$partial"
# wineboot's chatter (e.g. about the absent 32-bit half) is shown on failure only.
log=$(wineboot -i 2>&1 8>&-) || { echo "$log" >&2; echo "prefix.sh: wineboot failed" >&2; exit 1; }
wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Debugger /d '' /f >/dev/null 8>&-
# The registry reaches the *.reg files only when the server exits.
wineserver -w

# Check the point of the exercise: a crash must show in the exit code.
crash=$repo/build/deps/crash.exe
if [ ! -f "$crash" ]; then
    mkdir -p "$(dirname "$crash")"
    echo 'int main(void) { *(volatile int *)0 = 1; return 0; }' |
        x86_64-w64-mingw32-gcc -x c -o "$crash" -
fi
rc=0
out=$(wine "$crash" </dev/null 2>&1 8>&-) || rc=$?
wineserver -w
if [ "$rc" = 0 ] || grep -q 'Backtrace:' <<<"$out"; then
    echo "prefix.sh: in $dir a crash exited $rc through the crash debugger:" >&2
    echo "$out" >&2
    exit 1
fi

rm "$partial"
echo "$wine_version" >"$done_stamp"
echo "prefix.sh: ready ($dir; a crash exits $rc)"
