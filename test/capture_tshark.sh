#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: test/capture_tshark.sh
#
# Checks the capture module's files with Wireshark's own reader: builds
# capture.exe, has it write a sample capture (`capture.exe --sample DIR`:
# TCP and UDP conversations over IPv4 and IPv6, see provider/capture/tests/capture_sample.c)
# in a scratch Wine prefix, then for every conversation checks that
# `tshark -qz follow,tcp,raw,N` / `follow,udp,raw,N` gives back exactly the
# bytes each end sent, that tshark reads the file without complaint and
# that it finds no expert warnings or errors in the IP and TCP/UDP layers. Exits 0 and prints "capture_tshark: PASS"
# when all holds.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

command -v tshark >/dev/null || { echo "capture_tshark: tshark is not installed" >&2; exit 2; }
make --no-print-directory build/x64/tests/capture.exe >/dev/null

. test/scratch_prefix.sh
scratch_work capture-tshark

export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
if [ -d build/test-prefix ]; then
    cp -a build/test-prefix "$prefix"
else
    WINEPREFIX=$prefix wineboot -i >/dev/null 2>&1
fi
out=$work/out
mkdir -p "$out"
WINEPREFIX=$prefix wine "$repo/build/x64/tests/capture.exe" --sample "Z:${out//\//\\}" |
    tr -d '\r' | grep -q '^capture --sample: done$' ||
    { echo "capture_tshark: capture.exe --sample failed" >&2; exit 1; }

shopt -s nullglob
captures=("$out"/*.pcapng)
[ "${#captures[@]}" = 1 ] || { echo "capture_tshark: ${#captures[@]} captures written" >&2; exit 1; }
capture=${captures[0]}
failures=0
bad() { echo "capture_tshark: FAIL: $*"; failures=$((failures + 1)); }

# tshark must read the whole file without a word on stderr (it prints a
# "Running as user root" notice, which is not about the file), and find no
# errors in it. The payloads are random bytes: the ports are decoded as
# plain data, so that only the frame, IP and TCP/UDP layers are judged.
decode=()
while read -r proto a b; do
    decode+=(-d "$proto.port==$a,data" -d "$proto.port==$b,data")
done < <(tr -d '\r' <"$out/streams.txt")
# tshark's own failure counts too: its exit status is checked apart from
# what it printed, which a pipeline into grep would hide.
if ! tshark -r "$capture" "${decode[@]}" >/dev/null 2>"$work/tshark.err"; then
    bad "tshark -r failed: $(tr '\n' ' ' <"$work/tshark.err")"
fi
errors=$(grep -v 'Running as user' "$work/tshark.err" || true)
[ -z "$errors" ] || bad "tshark -r complains: $errors"
experts=$(tshark -r "$capture" "${decode[@]}" -Y '_ws.expert.severity >= "Warning" || _ws.malformed' \
          2>/dev/null | wc -l)
[ "$experts" = 0 ] || bad "$experts packets with expert warnings or errors, or malformed"

# Prints "PORT HEX" for both ends of stream N of PROTO: all the bytes that
# end sent, as tshark's follow reassembles them.
follow() {
    tshark -r "$capture" -qz "follow,$1,raw,$2" 2>/dev/null | awk '
        /^Node 0: / { n = split($3, a, ":"); port0 = a[n] }
        /^Node 1: / { n = split($3, a, ":"); port1 = a[n] }
        /^\t[0-9a-f]+$/ { sub(/^\t/, ""); hex1 = hex1 $0; next }
        /^[0-9a-f]+$/ { hex0 = hex0 $0 }
        END { print port0, hex0; print port1, hex1 }'
}

declare -A streams=()
while read -r proto a b; do
    index=${streams[$proto]:-0}
    streams[$proto]=$((index + 1))
    seen=0
    while read -r port hex; do
        expect_file=$out/expect-$proto-$port.hex
        if [ ! -f "$expect_file" ]; then
            bad "$proto stream $index: unexpected end port '$port'"
            continue
        fi
        seen=$((seen + 1))
        expect=$(tr -d '\r\n' <"$expect_file")
        if [ "$hex" = "$expect" ]; then
            echo "ok   $proto stream $index: port $port sent $(( ${#hex} / 2 )) bytes, as recorded"
        else
            bad "$proto stream $index: port $port: tshark gives $(( ${#hex} / 2 )) bytes, recorded $(( ${#expect} / 2 ))"
        fi
    done < <(follow "$proto" "$index")
    [ "$seen" = 2 ] || bad "$proto stream $index ($a-$b): found $seen ends"
done < <(tr -d '\r' <"$out/streams.txt")

# No more streams than the sample made.
for proto in "${!streams[@]}"; do
    count=$(tshark -r "$capture" -T fields -e "$proto.stream" 2>/dev/null | sort -u | grep -c . || true)
    [ "$count" = "${streams[$proto]}" ] || bad "$proto: $count streams in the file, ${streams[$proto]} made"
done

if [ "$failures" = 0 ]; then
    echo "capture_tshark: PASS"
else
    echo "capture_tshark: $failures failures"
    exit 1
fi
