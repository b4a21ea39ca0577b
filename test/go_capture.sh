#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: test/go_capture.sh
#
# Real Go programs' captures, held to what the programs themselves counted:
# in a scratch copy of the test prefix, installs lspkit with lspinst, turns
# capture on (`lspinst config --enable --directory C:\caps`) and runs,
# through bin/lspkit-wine, with `-expect FILE`:
# - go_http.exe (test/go/http): 20 GETs and a 16 MiB POST, server and
#   client in one process, which writes every request it made and, for
#   every connection, the bytes its client end sent and received;
# - go_udp.exe (test/go/udp): 200 UDP round trips, then Close() with a read
#   pending, which writes, for each direction of the round trips, the ports
#   and how many datagrams and bytes went that way.
# Then, through Wireshark's own reader (test/capture_expect.sh), go_http's
# one capture file must give exactly those request lines and, for every
# connection, exactly those byte counts each way and no other connection;
# go_udp's must hold each datagram twice (as sent and as received, both
# ends being in the process), so twice those counts each way; and neither
# may hold a record with an end at 0.0.0.0:0. Each program runs under a
# time limit far above the few seconds it takes; a program that does not
# end by then fails, named. Exits 0 and prints "go_capture: PASS" when all
# holds.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tshark >/dev/null || { echo "go_capture: tshark is not installed" >&2; exit 2; }
programs=(go_http go_udp)
exes=("${programs[@]/%/.exe}")
make --no-print-directory build/x64/frontend/ws2_32.dll build/x64/lspkit_base.dll build/x64/lspkit.dll \
    build/x64/lspinst.exe "${exes[@]/#/build/x64/tests/}" >/dev/null

# Each step is bounded, so that a hang fails and says which step hung. The
# programs bound each case themselves well below this (40 s at most).
limit=180

. test/scratch_prefix.sh
scratch_work go-capture
scratch_prefix "$prefix"
me=go_capture
log=$work/log
. test/capture_expect.sh
step bin/lspkit-wine build/x64/lspinst.exe install
step bin/lspkit-wine build/x64/lspinst.exe config --enable --directory 'C:\caps'
for program in "${programs[@]}"; do
    : >"$log"
    step bin/lspkit-wine "build/x64/tests/$program.exe" -expect "$work/$program.expect"
    tr -d '\r' <"$log" | grep -Eq '^[1-9][0-9]* passed, 0 failed$' || fail "$program did not pass"
    echo "ok   $program passed with capture on"
done

caps=$prefix/drive_c/caps
expect_captures "$caps" "${exes[@]}"

capture=$(echo "$caps"/go_http.exe-*.pcapng)
expect_readable "$capture"
expect_requests "$capture" "$work/go_http.expect"
expect_connections "$capture" "$work/go_http.expect"
expect_addressed "$capture"

# expect_flows FILE EXPECT: for each line "flow FROM TO DATAGRAMS BYTES" of
# EXPECT, FILE holds twice DATAGRAMS successful UDP records from port FROM
# to port TO, with twice BYTES of payload in all.
expect_flows() {
    local file=${1##*/} from to datagrams bytes found
    while read -r _ from to datagrams bytes; do
        found=$(tshark -r "$1" -T fields -e udp.length 2>/dev/null \
                -Y "udp.srcport == $from && udp.dstport == $to && !(frame.comment contains \"failed\")" |
                awk '{ n++; b += $1 - 8 } END { print n + 0, b + 0 }')
        if [ "$found" = "$((2 * datagrams)) $((2 * bytes))" ]; then
            echo "ok   $file: port $from to $to: $datagrams datagrams of $bytes bytes in all, each sent and received"
        else
            bad "$file: port $from to $to: the capture gives '$found' (records bytes)," \
                "the program counted $datagrams datagrams of $bytes bytes, each to be recorded twice"
        fi
    done < <(grep '^flow ' "$2")
}
capture=$(echo "$caps"/go_udp.exe-*.pcapng)
expect_readable "$capture"
expect_flows "$capture" "$work/go_udp.expect"
expect_addressed "$capture"

expect_verdict
