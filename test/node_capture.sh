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
# must give, through Wireshark's own reader:
# - exactly those request lines (method, URI, HTTP/1.1), from the HTTP
#   dissector;
# - for every connection, exactly those byte counts each way, from
#   `tshark -qz follow,tcp,raw,N`, and no other connection.
# Both ends of each connection are in the process, so every byte is in the
# file twice, as sent and as received, under the same sequence numbers;
# Wireshark takes the second as a retransmission, and counts the bytes once.
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
log=$work/log
fail() {
    echo "node_capture: FAIL: $*"
    tr -d '\r' <"$log" | tail -n 20
    exit 1
}
# Output to a file: under Wine, node.exe cannot use a Unix pipe as stdout.
step() {
    timeout -k 10 "$limit" "$@" </dev/null >>"$log" 2>&1 || fail "$* (exit code $?; 124: timed out after ${limit}s)"
}
step bin/lspkit-wine build/x64/lspinst.exe install
step bin/lspkit-wine build/x64/lspinst.exe config --enable --directory 'C:\caps'
step bin/lspkit-wine "$node" test/node/http.js 8 --expect "$work/expect"
tr -d '\r' <"$log" | grep -Eq '^[1-9][0-9]* passed, 0 failed$' || fail "http.js did not pass"

failures=0
bad() { echo "node_capture: FAIL: $*"; failures=$((failures + 1)); }

shopt -s nullglob
captures=("$prefix"/drive_c/caps/*.pcapng)
[ "${#captures[@]}" = 1 ] && [[ ${captures[0]##*/} == node.exe-* ]] ||
    fail "expected one capture file, node.exe's; found: ${captures[*]##*/}"
capture=${captures[0]}
file=${capture##*/}

# tshark must read the file without a word on stderr (but its "Running as
# user root" notice, which is not about the file).
tshark -r "$capture" >/dev/null 2>"$work/stderr" || bad "$file: tshark -r fails: $(tr '\n' ' ' <"$work/stderr")"
errors=$(grep -v 'Running as user' "$work/stderr" || true)
[ -z "$errors" ] || bad "$file: tshark -r complains: $errors"

# The request lines, as the HTTP dissector finds them, against the program's.
grep '^request ' "$work/expect" | sort >"$work/requests.expected"
tshark -r "$capture" -Y http.request -T fields \
       -e http.request.method -e http.request.uri -e http.request.version 2>/dev/null |
    awk -F '\t' '{ print "request", $1, $2 ($3 == "HTTP/1.1" ? "" : " (" $3 ")") }' |
    sort >"$work/requests.found"
if cmp -s "$work/requests.expected" "$work/requests.found"; then
    echo "ok   $file: $(wc -l <"$work/requests.found") request lines, the program's"
else
    bad "$file: the request lines differ from the program's (< program, > capture):" \
        "$(diff "$work/requests.expected" "$work/requests.found" | grep '^[<>]' | head -n 10 | tr '\n' ' ')"
fi

# The bytes each end of each TCP stream sent, as `follow` reassembles them,
# in one pass over the file: "STREAM PORT0 BYTES0 PORT1 BYTES1" per stream.
streams=$(tshark -r "$capture" -T fields -e tcp.stream 2>/dev/null | sort -un)
follow=()
for n in $streams; do follow+=(-z "follow,tcp,raw,$n"); done
tshark -r "$capture" -q "${follow[@]}" 2>/dev/null | awk '
    function flush() { if (stream != "") print stream, port0, bytes0, port1, bytes1 }
    /^Filter: tcp.stream eq / { flush(); stream = $4; bytes0 = 0; bytes1 = 0 }
    /^Node 0: / { n = split($3, a, ":"); port0 = a[n] }
    /^Node 1: / { n = split($3, a, ":"); port1 = a[n] }
    /^\t[0-9a-f]+$/ { bytes1 += (length($0) - 1) / 2; next }
    /^[0-9a-f]+$/ { bytes0 += length($0) / 2 }
    END { flush() }' >"$work/follow"

# Each connection of the program, in the order it made them: its client
# port, and what that end sent and received, must be the two ends of the
# first stream with that port not taken by an earlier connection (a port
# may serve one connection after another; tshark numbers streams in the
# order they start). Prints "PORT SENT RECEIVED FOUND", FOUND as
# "SENT RECEIVED" or "none".
sort -n "$work/follow" >"$work/follow.sorted"
conns=0
while read -r port sent received found; do
    conns=$((conns + 1))
    if [ "$found" = "$sent $received" ]; then
        echo "ok   $file: port $port sent $sent bytes and received $received, as the program counted"
    else
        bad "$file: port $port: the capture gives '$found' (sent received), the program counted $sent $received"
    fi
done < <(awk '
    FNR == NR { stream[FNR] = $0; streams = FNR; next }
    $1 == "conn" {
        found = "none"
        for (i = 1; i <= streams; i++) {
            if (used[i]) continue
            split(stream[i], f, " ")
            if (f[2] == $2) { found = f[3] " " f[5] }
            else if (f[4] == $2) { found = f[5] " " f[3] }
            else continue
            used[i] = 1
            break
        }
        print $2, $3, $4, found
    }' "$work/follow.sorted" "$work/expect")
[ "$conns" -gt 0 ] || bad "the program wrote no connections"

# No other streams. In particular none at 0.0.0.0:0: the accepts libuv
# keeps posted (AcceptEx, 32 of them) are aborted when the server closes,
# and an accept that failed connected nothing to record.
found=$(awk '$2 != 0 || $4 != 0' "$work/follow" | wc -l)
[ "$found" = "$conns" ] || bad "$file: $found TCP streams, the program made $conns connections"
unaddressed=$(tshark -r "$capture" -Y 'tcp.srcport == 0 && tcp.dstport == 0' 2>/dev/null | wc -l)
[ "$unaddressed" = 0 ] || bad "$file: $unaddressed records at 0.0.0.0:0 (failed accepts recorded?)"
echo "ok   $file: $found TCP streams, one per connection"

if [ "$failures" = 0 ]; then
    echo "node_capture: PASS"
else
    echo "node_capture: $failures failures"
    exit 1
fi
