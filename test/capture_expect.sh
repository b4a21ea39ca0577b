# SPDX-License-Identifier: MIT
# test/capture_expect.sh: sourced by test/node_capture.sh and
# test/go_capture.sh, which hold a real program's capture file
# (docs/capture.md) to what the program itself recorded of its traffic
# (its --expect or -expect FILE). Both ends of each connection are in the
# program's one process, so every byte is in the file twice, as sent and as
# received, under the same sequence numbers; Wireshark takes the second as a
# retransmission, and counts the bytes once.
#
# The sourcing script sets $me (its name, for the messages), $work (a
# scratch directory), $log (the programs' output) and $limit (seconds).
# Each check prints "ok   FILE: ..." or counts a failure with bad;
# expect_verdict ends the script with the verdict.

failures=0
bad() { echo "$me: FAIL: $*"; failures=$((failures + 1)); }

# fail WHY: ends the script at once, with the end of $log.
fail() {
    echo "$me: FAIL: $*"
    tr -d '\r' <"$log" | tail -n 20
    exit 1
}

# step PROGRAM [ARGS...]: runs a step of the script with its output in
# $log (a file: under Wine, node.exe cannot use a Unix pipe as stdout),
# bounded by $limit seconds so that a hang fails and names the program.
step() {
    local rc=0
    timeout -k 10 "$limit" "$@" </dev/null >>"$log" 2>&1 || rc=$?
    case $rc in
        0) ;;
        124|137) fail "no end after ${limit}s, hung: $*" ;;
        *) fail "$* (exit code $rc)" ;;
    esac
}

# expect_captures DIR IMAGE...: ends the script unless DIR holds one
# capture file per IMAGE (IMAGE-PID-TIME.pcapng) and nothing else.
expect_captures() {
    local dir=$1 names wanted
    shift
    names=$({ ls "$dir" 2>/dev/null || true; } | sed 's/-[0-9]*-[0-9TZ]*\.pcapng$//' | sort | tr '\n' ' ')
    wanted=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    [ "$names" = "$wanted" ] || {
        echo "$me: FAIL: expected one capture file of each of: $wanted; found: $({ ls "$dir" 2>/dev/null || true; } | tr '\n' ' ')"
        exit 1
    }
}

# expect_readable FILE: tshark reads FILE without a word on stderr (but its
# "Running as user root" notice, which is not about the file).
expect_readable() {
    local file=${1##*/} errors
    tshark -r "$1" >/dev/null 2>"$work/stderr" || bad "$file: tshark -r fails: $(tr '\n' ' ' <"$work/stderr")"
    errors=$(grep -v 'Running as user' "$work/stderr" || true)
    [ -z "$errors" ] || bad "$file: tshark -r complains: $errors"
}

# expect_requests FILE EXPECT: the request lines the HTTP dissector finds in
# FILE are EXPECT's lines "request METHOD URI" (HTTP/1.1), no more, no less.
# Bodies are not reassembled (http.desegment_body): the request line is in
# the headers, and Wireshark 4.0 never finishes reassembling Go's chunked
# 16 MiB POST body (neither in one pass nor two), so with it on, that
# request shows no request line at all. The bytes are counted by
# expect_connections.
expect_requests() {
    local file=${1##*/}
    grep '^request ' "$2" | sort >"$work/requests.expected"
    tshark -r "$1" -o http.desegment_body:FALSE -Y http.request -T fields \
           -e http.request.method -e http.request.uri -e http.request.version 2>/dev/null |
        awk -F '\t' '{ print "request", $1, $2 ($3 == "HTTP/1.1" ? "" : " (" $3 ")") }' |
        sort >"$work/requests.found"
    if [ ! -s "$work/requests.expected" ]; then
        bad "$file: the program recorded no requests"
    elif cmp -s "$work/requests.expected" "$work/requests.found"; then
        echo "ok   $file: $(wc -l <"$work/requests.found") request lines, the program's"
    else
        bad "$file: the request lines differ from the program's (< program, > capture):" \
            "$(diff "$work/requests.expected" "$work/requests.found" | grep '^[<>]' | head -n 10 | tr '\n' ' ')"
    fi
}

# expect_connections FILE EXPECT: for each line "conn PORT SENT RECEIVED" of
# EXPECT (a connection of the program's client, in the order it made them:
# its port, the bytes it sent and received), the first TCP stream of FILE
# with that port not taken by an earlier connection must give, through
# `tshark -qz follow,tcp,raw,N`, exactly those counts (a port may serve one
# connection after another; tshark numbers streams in the order they start);
# and FILE holds no other TCP stream.
expect_connections() {
    local file=${1##*/} streams n follow=() conns=0 port sent received found
    # The bytes each end of each TCP stream sent, as `follow` reassembles
    # them, in one pass over the file: "STREAM PORT0 BYTES0 PORT1 BYTES1".
    streams=$(tshark -r "$1" -T fields -e tcp.stream 2>/dev/null | sort -un)
    for n in $streams; do follow+=(-z "follow,tcp,raw,$n"); done
    tshark -r "$1" -q "${follow[@]}" 2>/dev/null | awk '
        function flush() { if (stream != "") print stream, port0, bytes0, port1, bytes1 }
        /^Filter: tcp.stream eq / { flush(); stream = $4; bytes0 = 0; bytes1 = 0 }
        /^Node 0: / { n = split($3, a, ":"); port0 = a[n] }
        /^Node 1: / { n = split($3, a, ":"); port1 = a[n] }
        /^\t[0-9a-f]+$/ { bytes1 += (length($0) - 1) / 2; next }
        /^[0-9a-f]+$/ { bytes0 += length($0) / 2 }
        END { flush() }' | sort -n >"$work/follow"

    # Prints "PORT SENT RECEIVED FOUND", FOUND as "SENT RECEIVED" or "none".
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
        }' "$work/follow" "$2")
    [ "$conns" -gt 0 ] || bad "$file: the program recorded no connections"
    found=$(wc -l <"$work/follow")
    [ "$found" = "$conns" ] || bad "$file: $found TCP streams, the program made $conns connections"
    echo "ok   $file: $found TCP streams, one per connection"
}

# expect_addressed FILE: no record of FILE has an end at 0.0.0.0:0 or
# [::]:0. The accepts Go and libuv keep posted are aborted when a listener
# closes, and an accept that failed connected nothing to record. The one
# exception is the one docs/capture.md gives: a UDP receive that failed
# (Go's read pending at Close) has no source, which is written as zeros.
expect_addressed() {
    local file=${1##*/} zero unaddressed unknown
    zero='(((ip.src == 0.0.0.0 || ipv6.src == ::) && (tcp.srcport == 0 || udp.srcport == 0)) ||
           ((ip.dst == 0.0.0.0 || ipv6.dst == ::) && (tcp.dstport == 0 || udp.dstport == 0)))'
    unknown='(udp && frame.comment contains "recv" && frame.comment contains "failed")'
    unaddressed=$(tshark -r "$1" -Y "$zero && !$unknown" 2>/dev/null | wc -l)
    if [ "$unaddressed" = 0 ]; then
        unknown=$(tshark -r "$1" -Y "$unknown" 2>/dev/null | wc -l)
        echo "ok   $file: no record at 0.0.0.0:0$([ "$unknown" = 0 ] ||
             echo " but $unknown failed UDP receives, whose source nobody knows")"
    else
        bad "$file: $unaddressed records with an end at 0.0.0.0:0 or [::]:0"
    fi
}

# expect_verdict: "ME: PASS" and exit 0, or the count of failures and exit 1.
expect_verdict() {
    if [ "$failures" = 0 ]; then
        echo "$me: PASS"
    else
        echo "$me: $failures failures"
        exit 1
    fi
}
