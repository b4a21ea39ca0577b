#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: test/layered_capture.sh
#
# Capture end to end through lspkit.dll, checked with Wireshark's own reader.
# In a scratch copy of the test prefix: installs lspkit with lspinst, turns
# capture on (`lspinst config --enable --directory C:\caps`), runs
# layered_capture.exe (test/layered_capture.c), which talks TCP and UDP over
# IPv4 and IPv6 with layered_capture_peer.exe, another process, both through
# the provider, and writes what each end sent. Then, in each of the two
# capture files (one per process), for every conversation
# `tshark -qz follow,tcp,raw,N` / `follow,udp,raw,N` must give back exactly
# the bytes each end sent, with the right ports; each end's FIN, if any,
# must come right after its bytes, and the test's file must hold the FIN of
# every TCP peer (also where the test accepted as Go and libuv do, with
# AcceptEx without a receive buffer); the file must hold no other streams, and tshark must read it without complaint and find no expert
# warnings or errors in the IP and TCP/UDP layers. Exits 0 and prints
# "layered_capture: PASS" when all holds.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

command -v tshark >/dev/null || { echo "layered_capture: tshark is not installed" >&2; exit 2; }
make --no-print-directory build/x64/frontend/ws2_32.dll build/x64/lspkit_base.dll build/x64/lspkit.dll \
    build/x64/lspinst.exe build/x64/tests/layered_capture.exe build/x64/tests/layered_capture_peer.exe >/dev/null

. test/scratch_prefix.sh
scratch_work layered-capture

export CK_NOFORK=yes
scratch_prefix "$prefix"
out=$work/out
mkdir -p "$out"
log=$work/log
step() {
    if ! "$@" </dev/null >>"$log" 2>&1; then
        echo "layered_capture: FAIL: $* (log follows)"
        tr -d '\r' <"$log" | tail -n 20
        exit 1
    fi
}
step bin/lspkit-wine build/x64/lspinst.exe install
step bin/lspkit-wine build/x64/lspinst.exe config --enable --directory 'C:\caps'
LSPKIT_CAPTURE_EXPECT="Z:${out//\//\\}" step bin/lspkit-wine build/x64/tests/layered_capture.exe documents layered
tr -d '\r' <"$log" | grep -q '^100%: Checks: 1, Failures: 0, Errors: 0$' ||
    { echo "layered_capture: FAIL: the traffic program did not pass"; tr -d '\r' <"$log" | tail -n 20; exit 1; }
[ -s "$out/streams.txt" ] || { echo "layered_capture: FAIL: no streams.txt written"; exit 1; }
tr -d '\r' <"$out/streams.txt" >"$work/streams"

failures=0
bad() { echo "layered_capture: FAIL: $*"; failures=$((failures + 1)); }

# One file per process, named IMAGE-PID-TIME.pcapng (docs/capture.md).
shopt -s nullglob
captures=("$prefix"/drive_c/caps/*.pcapng)
names=$(for c in "${captures[@]}"; do basename "$c" | sed 's/-[0-9]*-[0-9TZ]*\.pcapng$//'; done | sort | tr '\n' ' ')
[ "$names" = "layered_capture.exe layered_capture_peer.exe " ] ||
    bad "capture files: expected one per process, found: ${names:-none}"

# Prints "PORT HEX" for both ends of stream N of PROTO in FILE: all the
# bytes that end sent, as tshark's follow reassembles them.
follow() {
    tshark -r "$1" -qz "follow,$2,raw,$3" 2>/dev/null | awk '
        /^Node 0: / { n = split($3, a, ":"); port0 = a[n] }
        /^Node 1: / { n = split($3, a, ":"); port1 = a[n] }
        /^\t[0-9a-f]+$/ { sub(/^\t/, ""); hex1 = hex1 $0; next }
        /^[0-9a-f]+$/ { hex0 = hex0 $0 }
        END { print port0, hex0; print port1, hex1 }'
}

# The FINs of END_PORT in TCP stream N of FILE: at most one, right after
# all the BYTES that end sent (relative sequence number BYTES + 1, so that
# nothing before it took a number); exactly one when REQUIRED is 1. A
# zero-byte receive that is no end of stream (AcceptEx without a receive
# buffer, a zero-byte read) must not show as one.
check_fins() {
    local capture=$1 n=$2 end_port=$3 bytes=$4 required=$5 seqs count
    seqs=$(tshark -r "$capture" -Y "tcp.stream==$n && tcp.srcport==$end_port && tcp.flags.fin==1" \
           -T fields -e tcp.seq 2>/dev/null | tr '\n' ' ')
    count=$(wc -w <<<"$seqs")
    if [ "$count" -gt 1 ] || [ "$count" -lt "$required" ]; then
        bad "$(basename "$capture"): tcp stream $n: port $end_port: $count FINs (sequence numbers: ${seqs:-none})"
    elif [ "$count" = 1 ] && [ "${seqs% }" != $((bytes + 1)) ]; then
        bad "$(basename "$capture"): tcp stream $n: port $end_port: FIN at ${seqs% }, after $bytes bytes it must be at $((bytes + 1))"
    fi
}

for capture in "${captures[@]}"; do
    file=$(basename "$capture")
    # The payloads are arbitrary bytes: their ports are decoded as plain
    # data, so that only the frame, IP and TCP/UDP layers are judged.
    decode=()
    while read -r proto _ a b; do
        decode+=(-d "$proto.port==$a,data" -d "$proto.port==$b,data")
    done <"$work/streams"
    # (tshark prints a "Running as user root" notice, which is not about
    # the file.)
    if ! tshark -r "$capture" "${decode[@]}" >/dev/null 2>"$work/stderr"; then
        bad "$file: tshark -r fails: $(tr '\n' ' ' <"$work/stderr")"
    fi
    errors=$(grep -v 'Running as user' "$work/stderr" || true)
    [ -z "$errors" ] || bad "$file: tshark -r complains: $errors"
    if ! tshark -r "$capture" "${decode[@]}" -Y '_ws.expert.severity >= "Warning" || _ws.malformed' \
         >"$work/experts" 2>/dev/null; then
        bad "$file: tshark cannot look for expert warnings"
    fi
    experts=$(wc -l <"$work/experts")
    [ "$experts" = 0 ] || bad "$file: $experts packets with expert warnings or errors, or malformed: $(head -n 3 "$work/experts")"

    declare -A count=()
    while read -r proto index a b; do
        count[$proto]=$(( ${count[$proto]:-0} + 1 ))
        seen=""
        while read -r port hex; do
            expect_file=$out/expect-$proto-$index-$port.hex
            if [ -z "$port" ] || [ ! -f "$expect_file" ] || { [ "$port" != "$a" ] && [ "$port" != "$b" ]; }; then
                bad "$file: $proto stream $index: end port '$port', expected $a and $b"
                continue
            fi
            seen="$seen $port"
            expect=$(tr -d '\r\n' <"$expect_file")
            if [ "$hex" = "$expect" ]; then
                echo "ok   $file: $proto stream $index: port $port sent $(( ${#hex} / 2 )) bytes, as the program did"
            else
                bad "$file: $proto stream $index: port $port: tshark gives $(( ${#hex} / 2 )) bytes," \
                    "the program sent $(( ${#expect} / 2 ))$( [ ${#hex} = ${#expect} ] && echo ', not the same')"
            fi
            # The test receives the peer's real FIN; it must be in the test's file.
            if [ "$proto" = tcp ]; then
                required=0
                [[ $file == layered_capture.exe-* && $port == "$b" ]] && required=1
                check_fins "$capture" "$index" "$port" $(( ${#expect} / 2 )) "$required"
            fi
        done < <(follow "$capture" "$proto" "$index")
        [ "$(wc -w <<<"$seen")" = 2 ] || bad "$file: $proto stream $index ($a-$b): found ends:$seen"
    done <"$work/streams"
    # No streams but those.
    for proto in "${!count[@]}"; do
        streams=$(tshark -r "$capture" -T fields -e "$proto.stream" 2>/dev/null | sort -u | grep -c . || true)
        [ "$streams" = "${count[$proto]}" ] || bad "$file: $proto: $streams streams, ${count[$proto]} made"
    done
    unset count
done

if [ "$failures" = 0 ]; then
    echo "layered_capture: PASS"
else
    echo "layered_capture: $failures failures"
    exit 1
fi
