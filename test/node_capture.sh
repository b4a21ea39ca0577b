#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: test/node_capture.sh
#
# A real program's capture, held to what the program itself counted: in a
# scratch copy of the test prefix, installs lspkit with lspinst, turns
# capture on (`lspinst config --enable --directory C:\caps`) and runs
# Node.js for Windows (build/deps/node/node.exe, from scripts/deps.sh)
# through bin/lspkit-wine on test/node/http.js: 8 GETs with keep-alive, 8
# without, a 16 MiB POST, server and client in one process, which writes
# every request it made and, for every connection, the bytes its client end
# sent and received (`--expect FILE`). Then the process's one capture file
# must give, through Wireshark's own reader (test/capture_expect.sh):
# - exactly those request lines (method, URI, HTTP/1.1), from the HTTP
#   dissector;
# - for every connection, exactly those byte counts each way, from
#   `tshark -qz follow,tcp,raw,N`, and no other connection;
# - no record with an end at 0.0.0.0:0.
# Exits 0 and prints "node_capture: PASS" when all holds.
set -euo pipefail
cd "$(dirname "$0")/.."

node=build/deps/node/node.exe
[ -f "$node" ] || { echo "node_capture: $node is missing (run scripts/deps.sh)" >&2; exit 2; }
command -v tshark >/dev/null || { echo "node_capture: tshark is not installed" >&2; exit 2; }
make --no-print-directory build/x64/frontend/ws2_32.dll build/x64/lspkit_base.dll build/x64/lspkit.dll \
    build/x64/lspinst.exe >/dev/null

# Every step is bounded, so that a hang fails and says which step hung;
# http.js bounds itself well below this (test/node/harness.js).
limit=120

. test/scratch_prefix.sh
scratch_work node-capture
scratch_prefix "$prefix"
# Node refuses the Windows version Wine reports unless told not to check.
export NODE_SKIP_PLATFORM_CHECK=1
me=node_capture
log=$work/log
. test/capture_expect.sh
step bin/lspkit-wine build/x64/lspinst.exe install
step bin/lspkit-wine build/x64/lspinst.exe config --enable --directory 'C:\caps'
step bin/lspkit-wine "$node" test/node/http.js 8 --expect "$work/expect"
tr -d '\r' <"$log" | grep -Eq '^[1-9][0-9]* passed, 0 failed$' || fail "http.js did not pass"

expect_captures "$prefix/drive_c/caps" node.exe
capture=$(echo "$prefix"/drive_c/caps/node.exe-*.pcapng)
expect_readable "$capture"
expect_requests "$capture" "$work/expect"
expect_connections "$capture" "$work/expect"
expect_addressed "$capture"
expect_verdict
