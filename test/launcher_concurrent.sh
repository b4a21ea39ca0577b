#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: test/launcher_concurrent.sh
#
# bin/lspkit-wine run many times at once, and its LSPKIT_REFRESH_PROVIDERS
# switch. In a scratch prefix (a copy of the test template, so every run
# starts by putting the front end and the providers in place):
#   1. 16 runs of launcher_hello.exe started together must all start the
#      program and exit 0 (a TCP socket through the front end);
#   2. with lspkit installed and system32\lspkit.dll deleted, a run with
#      LSPKIT_REFRESH_PROVIDERS=0 must leave the DLL missing, and the
#      program must get a Winsock error (not a socket, not a crash); a run
#      without it puts the DLL back and gets its socket.
# Prints "launcher_concurrent: N passed, M failed"; exits 0 when M is 0.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
runs=16
limit=${TEST_TIMEOUT:-120}
make --no-print-directory build/x64/tests/launcher_hello.exe build/x64/lspinst.exe >/dev/null

. test/scratch_prefix.sh
scratch_work launcher-concurrent
scratch_prefix "$prefix"
hello=$repo/build/x64/tests/launcher_hello.exe
dll=$prefix/drive_c/windows/system32/lspkit.dll
passed=0 failed=0
check() { # check WHAT CONDITION...
    local what=$1; shift
    if "$@"; then passed=$((passed + 1)); else echo "launcher_concurrent: FAIL: $what"; failed=$((failed + 1)); fi
}
launch() { timeout -k 10 "$limit" bin/lspkit-wine "$@" </dev/null; }

# 1. Many at once.
pids=()
for i in $(seq "$runs"); do
    launch "$hello" >"$work/run$i.log" 2>&1 &
    pids+=($!)
done
ok=0
for i in $(seq "$runs"); do
    rc=0
    wait "${pids[$((i - 1))]}" || rc=$?
    if [ "$rc" = 0 ] && tr -d '\r' <"$work/run$i.log" | grep -qx 'launcher_hello: started'; then
        ok=$((ok + 1))
    else
        echo "launcher_concurrent: run $i exited $rc:"; sed 's/^/  | /' "$work/run$i.log"
    fi
done
echo "launcher_concurrent: $ok of $runs concurrent runs started their program and got a socket"
check "concurrent runs" [ "$ok" = "$runs" ]

# 2. A deleted provider DLL, seen through the launcher.
launch "$repo/build/x64/lspinst.exe" install >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; check "lspinst install" false; }
rm -f "$dll"
rc=0
LSPKIT_REFRESH_PROVIDERS=0 launch "$hello" >"$work/nodll.log" 2>&1 || rc=$?
check "LSPKIT_REFRESH_PROVIDERS=0 left the DLL deleted" [ ! -e "$dll" ]
# (Wine passes on only the low 8 bits of the exit code: the error is read
# from what the program says.)
check "without lspkit.dll the program gets a Winsock error (exit $rc)" \
    grep -Eq '^launcher_hello: socket failed: 1[01][0-9]{3}' <(tr -d '\r' <"$work/nodll.log")
rc=0
launch "$hello" >"$work/refresh.log" 2>&1 || rc=$?
check "a default run puts lspkit.dll back" [ -f "$dll" ]
check "with lspkit.dll back the program gets its socket (exit $rc)" [ "$rc" = 0 ]

echo "launcher_concurrent: $passed passed, $failed failed"
[ "$failed" = 0 ]
