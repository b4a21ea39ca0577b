#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: test/gdbserver.sh
#
# A real program through lspkit's layered provider: GDB's gdbserver.exe
# (Debian's gdb-mingw-w64-target), which asks WSAStartup for version 1.0,
# serves a debugging session to x86_64-w64-mingw32-gdb (gdb-mingw-w64) over
# 127.0.0.1. In a scratch copy of the test prefix: installs lspkit with
# lspinst and turns capture on, runs gdbserver through bin/lspkit-wine on
# test/gdbserver_target.exe (`--once`, port 0: it picks a free one), and has
# gdb in batch mode connect, stop at a breakpoint, read the registers and
# kill the program. Then gdbserver must have ended, and its capture file
# must hold the session (gdb's qSupported packet): the connection went
# through lspkit.dll. Every wait is bounded; every process is ended.
# Exits 0 and prints "gdbserver: PASS" when all holds.
#
# gdbserver listens on every address (it binds INADDR_ANY whatever host it
# is given); --once closes the listener at the first connection, gdb's, to
# 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

server_exe=/usr/share/win64/gdbserver.exe
gdb=x86_64-w64-mingw32-gdb
[ -f "$server_exe" ] || { echo "gdbserver: $server_exe missing (Debian gdb-mingw-w64-target)" >&2; exit 2; }
command -v "$gdb" >/dev/null || { echo "gdbserver: $gdb missing (Debian gdb-mingw-w64)" >&2; exit 2; }
command -v tshark >/dev/null || { echo "gdbserver: tshark is not installed" >&2; exit 2; }
make --no-print-directory build/x64/frontend/ws2_32.dll build/x64/lspkit_base.dll build/x64/lspkit.dll \
    build/x64/lspinst.exe build/x64/tests/gdbserver_target.exe >/dev/null

# Generous: the machine may be loaded; a healthy run takes a few seconds.
listen_limit=120
session_limit=180
server_limit=$((listen_limit + session_limit + 60))

work=$(mktemp -d /tmp/lspkit-gdbserver.XXXXXX)
prefix=$work/prefix
server_pid=""
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    WINEPREFIX=$prefix wineserver -k 2>/dev/null || true
    WINEPREFIX=$prefix wineserver -w 2>/dev/null || true
    [ -z "$server_pid" ] || wait "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

. test/scratch_prefix.sh
scratch_prefix "$prefix"
log=$work/log
fail() {
    echo "gdbserver: FAIL: $*"
    for f in "$log" "$work/server.log" "$work/gdb.log"; do
        [ -f "$f" ] && { echo "--- $(basename "$f")"; tr -d '\r' <"$f" | tail -n 20; }
    done
    exit 1
}
step() { "$@" </dev/null >>"$log" 2>&1 || fail "$*"; }
step bin/lspkit-wine build/x64/lspinst.exe install
step bin/lspkit-wine build/x64/lspinst.exe config --enable --directory 'C:\caps'

target=build/x64/tests/gdbserver_target.exe
: >"$work/server.log"
timeout "$server_limit" bin/lspkit-wine "$server_exe" --once 127.0.0.1:0 \
    "Z:$(readlink -f "$target" | tr / '\\')" </dev/null >"$work/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq "$listen_limit"); do
    port=$(tr -d '\r' <"$work/server.log" | sed -n 's/^Listening on port \([0-9]*\)$/\1/p' || true)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "gdbserver ended before it listened"
    sleep 1
done
[ -n "$port" ] || fail "gdbserver did not listen within $listen_limit s"

timeout "$session_limit" "$gdb" -batch -nx \
    -ex 'set confirm off' \
    -ex "target remote 127.0.0.1:$port" \
    -ex 'break target_answer' \
    -ex 'continue' \
    -ex 'info registers rip' \
    -ex 'kill' \
    "$target" </dev/null >"$work/gdb.log" 2>&1 || fail "gdb failed or timed out"
grep -q '^Breakpoint 1, .*target_answer' "$work/gdb.log" || fail "gdb did not stop at the breakpoint"
grep -q '^rip  .*<target_answer' "$work/gdb.log" || fail "gdb read no rip inside target_answer"
grep -q 'killed' "$work/gdb.log" || fail "gdb did not kill the program"

# gdbserver --once ends when the session does.
for _ in $(seq 60); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 1
done
kill -0 "$server_pid" 2>/dev/null && fail "gdbserver still runs after the session"
wait "$server_pid" || fail "gdbserver exited with $?"
server_pid=""
grep -q '^Remote debugging from host 127\.0\.0\.1' "$work/server.log" ||
    fail "gdbserver did not see gdb connect from 127.0.0.1"

shopt -s nullglob
captures=("$prefix"/drive_c/caps/gdbserver.exe-*.pcapng)
[ "${#captures[@]}" = 1 ] || fail "expected one capture file of gdbserver.exe, found ${#captures[@]}"
# Into a file first: grep -q would stop reading early and fail tshark's pipe.
tshark -r "${captures[0]}" -qz follow,tcp,ascii,0 >"$work/follow" 2>/dev/null ||
    fail "tshark cannot read gdbserver's capture"
grep -q 'qSupported' "$work/follow" || fail "gdbserver's capture holds no qSupported packet"
echo "gdbserver: PASS (session on 127.0.0.1:$port through lspkit.dll, captured)"
