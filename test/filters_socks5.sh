#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: test/filters_socks5.sh
#
# The shipped socks5 filter (filters/socks5) against real SOCKS5 servers
# that lspkit did not write, on loopback, started and stopped here:
# - microsocks with RFC 1929's username/password;
# - Dante (danted) without authentication.
# For each, in a scratch prefix of its own, lspinst installs lspkit and adds
# the filter (`lspinst filter add socks5 --set Server=127.0.0.1:PORT ...`),
# and real programs run through bin/lspkit-wine and must pass, checking
# their own bytes: go_http.exe (Go, ConnectEx), node.exe test/node/http.js
# (libuv, ConnectEx), winhttp_fetch.exe (WinHTTP) and loopback_overlapped.exe
# (a Check program, blocking connect; none of its tests compares the
# client's name with the accepted socket's peer, which through a proxy is
# the proxy's). Then the server's own log must show, for each program,
# connections to 127.0.0.1 only, at least one at a port ss saw that program
# listen on while it ran (the Check program's listeners live for
# milliseconds: for it, the address only).
# UDP through Dante's relay (UDP ASSOCIATE): go_udp.exe (a connected
# socket: connect, send, recv) and node.exe test/node/udp.js (sendto and
# recvfrom) make their round trips with an echo server of this script's,
# outside Wine, each answer checked with its source; Dante's log must show
# their datagrams relayed to the echo server and its answers relayed back.
# microsocks has no UDP ASSOCIATE: through it go_udp.exe must fail, not
# hang, and lspkit.log say why.
# Failures: with the filter pointing where nothing listens, go_dial.exe and
# node.exe test/node/refused.js must fail their connects quickly (refused,
# not timed out); with the filter pointing at a server that never answers
# the SYN (a listener of this script's with a full queue), go_dial.exe
# -silent must end its dial by its own 2 s timeout (Go cancels the
# ConnectEx), not wait out the stack's; with a wrong Password for
# microsocks, go_http.exe must fail and lspkit.log hold the filter's line
# about the refused login.
# IPv6 destinations (::1) bypass the proxy (Bypass=::1): the servers listen
# on 127.0.0.1 only, and a Windows IPv6 socket is IPV6_V6ONLY unless the
# program says otherwise, so it cannot reach them through ::ffff:127.0.0.1.
# Every program runs under a time limit far above its quiet time. Exits 0
# and prints "filters_socks5: PASS" when all holds.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in microsocks danted ss python3; do
    command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null ||
        { echo "filters_socks5: $tool is not installed (scripts/deps.sh)" >&2; exit 2; }
done
PATH=$PATH:/usr/sbin
make --no-print-directory build/x64/frontend/ws2_32.dll build/x64/lspkit_base.dll build/x64/lspkit.dll \
    build/x64/lspkit_socks5.dll build/x64/lspinst.exe \
    build/x64/tests/{go_http,go_dial,go_udp,winhttp_fetch,loopback_overlapped}.exe >/dev/null

limit=180
me=filters_socks5
. test/scratch_prefix.sh
scratch_work filters-socks5
log=$work/log
. test/capture_expect.sh
export NODE_SKIP_PLATFORM_CHECK=1

# The servers and each scenario's prefix go on every exit, whatever failed.
servers=()
cleanup() {
    local pid dir
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
    for dir in "$work"/prefix-*; do
        [ -d "$dir" ] || continue
        WINEPREFIX=$dir wineserver -k 2>/dev/null || true
        WINEPREFIX=$dir wineserver -w 2>/dev/null || true
    done
    scratch_cleanup
}
trap cleanup EXIT

# free_port: a loopback TCP port the kernel just gave out, and took back.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_listening PORT NAME: ends the script unless something listens on
# 127.0.0.1:PORT within 10 s.
wait_listening() {
    for _ in $(seq 50); do
        ss -Hltn "sport = :$1" | grep -q . && return 0
        sleep 0.2
    done
    echo "$me: FAIL: $2 does not listen on 127.0.0.1:$1 after 10 s"; tail -n 20 "$work/$2.log"; exit 1
}

start_microsocks() {
    microsocks -i 127.0.0.1 -p "$1" -u "$2" -P "$3" >"$work/microsocks.log" 2>&1 &
    servers+=($!)
    wait_listening "$1" microsocks
}

# Dante in the foreground (no -D), as a child of this script, so that the
# trap's kill reaches it; logoutput to a file of the scratch directory.
start_danted() {
    cat >"$work/danted.conf" <<EOF
logoutput: $work/danted.log
internal: 127.0.0.1 port = $1
external: 127.0.0.1
clientmethod: none
socksmethod: none
user.privileged: root
user.unprivileged: nobody
client pass {
    from: 127.0.0.0/8 to: 0.0.0.0/0
    log: connect disconnect
}
socks pass {
    from: 127.0.0.0/8 to: 0.0.0.0/0
    log: connect disconnect iooperation
}
EOF
    danted -f "$work/danted.conf" -p "$work/danted.pid" >"$work/danted.out" 2>&1 &
    servers+=($!)
    wait_listening "$1" danted
}

# start_python_server NAME CODE: runs CODE, which prints its port first,
# as one of this script's servers; $server_port is that port.
start_python_server() {
    local name=$1 code=$2
    python3 -u -c "$code" >"$work/$name.port" 2>"$work/$name.log" &
    servers+=($!)
    for _ in $(seq 50); do
        server_port=$(head -n 1 "$work/$name.port")
        [ -n "$server_port" ] && return 0
        sleep 0.2
    done
    echo "$me: FAIL: $name did not start"; cat "$work/$name.log"; exit 1
}

# A UDP echo server on 127.0.0.1, outside Wine (and so outside lspkit): it
# answers each datagram to its source, which through a relay is Dante's.
start_udp_echo() {
    start_python_server udp_echo '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
while True:
    data, source = s.recvfrom(65535)
    s.sendto(data, source)
'
    echo_port=$server_port
}

# start_silent_server: $silent_port is a listener whose queue one
# connection fills, so that Linux drops the SYN of every later connect to
# it: a server that never answers.
start_silent_server() {
    start_python_server silent '
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
filler = socket.create_connection(s.getsockname())
print(s.getsockname()[1])
while True:
    time.sleep(60)
'
    silent_port=$server_port
}

# new_prefix NAME SETTING...: a fresh scratch prefix with lspkit installed
# and the socks5 filter added with the --set SETTINGs.
new_prefix() {
    local name=$1 setting args=()
    shift
    for setting in "$@"; do args+=(--set "$setting"); done
    prefix=$work/prefix-$name
    scratch_prefix "$prefix"
    step bin/lspkit-wine build/x64/lspinst.exe install
    step bin/lspkit-wine build/x64/lspinst.exe filter add socks5 "${args[@]}"
}

# our_wineserver: the pid of the current prefix's wineserver, which holds
# every socket of the prefix's programs (so ss names it, not the program).
# Wine names its server's directory after the prefix's device and inode.
our_wineserver() {
    local dir pid
    dir=$(stat -c '%d %i' "$prefix" | { read -r d i; printf 'server-%x-%x' "$d" "$i"; })
    for pid in $(pgrep wineserver); do
        [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == */"$dir" ]] && echo "$pid"
    done
    return 0
}

# run_sampled PROGRAM [ARGS...]: step, with the ports on which the prefix's
# programs listen sampled by ss meanwhile into $work/listened (one a line).
run_sampled() {
    local sampler pid=
    : >"$work/ss"
    while :; do
        # A server that ends (its programs gone) gives way to a new one.
        [ -n "$pid" ] && [ -d "/proc/$pid" ] || pid=$(our_wineserver | tail -n 1)
        [ -z "$pid" ] || ss -Hltnp 2>/dev/null | grep -F "pid=$pid," >>"$work/ss" || true
        sleep 0.02
    done &
    sampler=$!
    servers+=("$sampler")   # should step end the script
    : >"$log"
    step "$@"
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    awk '{ n = split($4, a, ":"); print a[n] }' "$work/ss" | sort -u >"$work/listened"
}

# expect_passed NAME: the program's output in $log ends in a pass: Go's and
# Node's "N passed, 0 failed", Check's "100%: Checks: N, Failures: 0,
# Errors: 0", or winhttp's own.
expect_passed() {
    if tr -d '\r' <"$log" | grep -Eq '^[1-9][0-9]* passed, 0 failed$|^100%: Checks: [1-9][0-9]*, Failures: 0, Errors: 0$'; then
        echo "ok   $1 passed through $server"
    else
        fail "$1 did not pass through $server"
    fi
}

# destinations: the "ADDRESS:PORT" destinations of the connects the
# current server logged after line $mark of its log.
destinations() {
    case $server in
        microsocks) tail -n +"$((mark + 1))" "$work/microsocks.log" |
                        sed -n 's/^client\[[0-9]*\] [0-9.]*: connected to \(.*\)$/\1/p' ;;
        danted) tail -n +"$((mark + 1))" "$work/danted.log" |
                    sed -n 's/.*tcp\/connect \[: .* \([0-9.]*\)\.\([0-9]*\)[[:space:]]*$/\1:\2/p' ;;
    esac
}
log_lines() { wc -l <"$work/$server.log"; }

# expect_proxied NAME [any]: the server connected, for the program just
# run, only to 127.0.0.1 and at least once; and (without `any`) at least
# once to a port ss saw the program listen on. A listener that lives for a
# few milliseconds (winhttp_fetch makes one a case) may escape the
# sampling, so not every destination has to be among those seen.
expect_proxied() {
    local found ports wrong seen
    found=$(destinations | sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')
    [ -n "$found" ] || { bad "$1: $server logged no connect for it"; return; }
    wrong=$(destinations | grep -v '^127\.0\.0\.1:' || true)
    [ -z "$wrong" ] || { bad "$1: $server connected to $(echo $wrong), not to 127.0.0.1"; return; }
    if [ "${2:-}" != any ]; then
        ports=$(tr '\n' ' ' <"$work/listened")
        seen=$(destinations | grep -x -F -f <(sed 's/^/127.0.0.1:/' "$work/listened") || true)
        [ -n "$seen" ] || { bad "$1: $server connected to $found, none where it was seen listening (${ports:-nowhere})"; return; }
    fi
    echo "ok   $1: $server connected to $found${ports:+ (it was seen listening on ${ports% })}"
}

# proxied NAME [any] -- PROGRAM [ARGS...]: runs PROGRAM through
# lspkit, which must pass, with its connects in the server's log.
proxied() {
    local name=$1 any=
    shift
    [ "$1" = any ] && { any=any; shift; }
    shift
    mark=$(log_lines)
    run_sampled bin/lspkit-wine "$@"
    expect_passed "$name"
    # The log's lines may trail the program's end by a little.
    sleep 0.5
    expect_proxied "$name" $any
}

# relayed NAME: Dante's log, since line $mark, shows datagrams relayed to
# the echo server (udpassociate) and its answers relayed back (udpreply),
# at least ROUNDS of each.
relayed() {
    local name=$1 rounds=$2 out back
    out=$(tail -n +"$((mark + 1))" "$work/danted.log" |
          grep -c "udp/udpassociate -: .* -> 127\.0\.0\.1\.[0-9]* 127\.0\.0\.1\.$echo_port (" || true)
    back=$(tail -n +"$((mark + 1))" "$work/danted.log" |
           grep -c "udp/udpreply -: 127\.0\.0\.1\.$echo_port " || true)
    [ "$out" -ge "$rounds" ] && [ "$back" -ge "$rounds" ] ||
        { bad "$name: danted relayed $out datagrams to the echo server and $back back (at least $rounds each)"; return; }
    echo "ok   $name: danted relayed $out datagrams to 127.0.0.1:$echo_port and $back back"
}

# proxied_udp NAME ROUNDS -- PROGRAM [ARGS...]: runs PROGRAM through
# lspkit, which must pass, with its datagrams in Dante's log.
proxied_udp() {
    local name=$1 rounds=$2
    shift 3
    mark=$(log_lines)
    : >"$log"
    step bin/lspkit-wine "$@"
    expect_passed "$name"
    sleep 0.5
    relayed "$name" "$rounds"
}

# The four programs through the current server.
programs_through_server() {
    proxied go_http -- build/x64/tests/go_http.exe
    proxied node_http -- build/deps/node/node.exe test/node/http.js --proxied
    proxied winhttp_fetch -- build/x64/tests/winhttp_fetch.exe
    proxied loopback_overlapped any -- \
        build/x64/tests/loopback_overlapped.exe wine layered
}

# fast NAME SECONDS PROGRAM [ARGS...]: the program passes in less than SECONDS.
fast() {
    local name=$1 max=$2 start=$SECONDS
    shift 2
    : >"$log"
    step bin/lspkit-wine "$@"
    expect_passed "$name"
    [ $((SECONDS - start)) -le "$max" ] || fail "$name took $((SECONDS - start)) s (at most $max)"
    echo "ok   $name: its connects failed, fast ($((SECONDS - start)) s in all)"
}

# failing SECONDS NAME PROGRAM [ARGS...]: the program runs to its end in
# less than SECONDS and exits non-zero; its output stays in $log.
failing() {
    local max=$1 name=$2 rc=0 start=$SECONDS
    shift 2
    : >"$log"
    timeout -k 10 "$limit" bin/lspkit-wine "$@" </dev/null >>"$log" 2>&1 || rc=$?
    case $rc in
        0) fail "$name passed: its connects were to fail" ;;
        124|137) fail "$name hung: no end after ${limit}s" ;;
    esac
    [ $((SECONDS - start)) -le "$max" ] || fail "$name took $((SECONDS - start)) s to fail (at most $max)"
    echo "ok   $name failed as it must, in $((SECONDS - start)) s (exit code $rc)"
}

user=lspkit-user
password=s3cret-pass

server=microsocks
port_ms=$(free_port)
start_microsocks "$port_ms" "$user" "$password"
new_prefix microsocks "Server=127.0.0.1:$port_ms" "User=$user" "Password=$password" Bypass=::1
programs_through_server
# No UDP ASSOCIATE at microsocks: a proxied datagram socket cannot be
# set up, and its connect fails rather than go around the proxy.
start_udp_echo
failing 120 go_udp_without_associate build/x64/tests/go_udp.exe -server "127.0.0.1:$echo_port"
grep -q 'socks5.*UDP ASSOCIATE failed' "$prefix/drive_c/ProgramData/lspkit/lspkit.log" ||
    fail "lspkit.log has no socks5 line about the failed UDP ASSOCIATE"
echo "ok   lspkit.log: $(grep -m1 'UDP ASSOCIATE failed' "$prefix/drive_c/ProgramData/lspkit/lspkit.log" | tr -d '\r')"

server=danted
port=$(free_port)
start_danted "$port"
new_prefix danted "Server=127.0.0.1:$port" Bypass=::1
programs_through_server
proxied_udp go_udp 200 -- build/x64/tests/go_udp.exe -server "127.0.0.1:$echo_port"
proxied_udp node_udp 50 -- build/deps/node/node.exe test/node/udp.js 50 --server "$echo_port"

# Nobody at Server: a connect through the filter meets a refused connect to
# the server, which the application's connect must report at once. Both
# programs check that themselves: go_dial that its dials fail and not by
# timing out, refused.js that they fail with ECONNREFUSED.
server="nothing at Server"
new_prefix nobody "Server=127.0.0.1:$(free_port)" Bypass=::1
fast go_dial 60 build/x64/tests/go_dial.exe
fast node_refused 60 build/deps/node/node.exe test/node/refused.js

# A server that never answers: Go's dial deadline cancels the redirected
# ConnectEx on its blocking socket while the connect to the server waits.
server="a server that never answers"
start_silent_server
new_prefix silent "Server=127.0.0.1:$silent_port" Bypass=::1
fast go_dial_silent 60 build/x64/tests/go_dial.exe -silent 127.0.0.1:9

# A wrong password: microsocks refuses the login (RFC 1929 status not 0),
# the filter fails the connect with WSAEACCES and logs it once.
server=microsocks
new_prefix badpass "Server=127.0.0.1:$port_ms" "User=$user" "Password=wrong-$password" Bypass=::1
failing 120 go_http_bad_password build/x64/tests/go_http.exe
grep -q 'socks5.*refused the User and Password' "$prefix/drive_c/ProgramData/lspkit/lspkit.log" ||
    fail "lspkit.log has no socks5 line about the refused login"
echo "ok   lspkit.log: $(grep -m1 'refused the User and Password' "$prefix/drive_c/ProgramData/lspkit/lspkit.log" | tr -d '\r')"

expect_verdict
