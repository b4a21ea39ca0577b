#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: bench/run.sh [LBBENCH.exe]   (default: build/x64/bench/lbbench.exe)
#
# Runs the same workloads, in ONE invocation, interleaved, on up to five
# sides:
#   host      plain wine: Wine's own ws2_32
#   frontend  bin/lspkit-wine in WINEPREFIX: lspkit's front end and base
#             provider, no LSP installed
#   layered   bin/lspkit-wine in LSP_PREFIX, where lspkit.dll is installed
#             (lspinst install), capture off
#   capture   the same with capture on (lspinst config --enable) for that run
#   filtered  the layered side with a filter that allows everything
#             (build/x64/bench/lspkit_allow.dll, lspinst filter add) for
#             that run: what asking a filter costs
# The workloads (WORKLOADS), each run by every side in every round:
#   lbbench   the loopback benchmark binary with BENCH_ARGS
#   goecho    build/x64/bench/gobench.exe echo GO_ECHO_MIB: a Go TCP echo
#             over 127.0.0.1 in one process, MiB/s (goecho_mib_per_s)
#   ab-go     Apache's ab, on Linux, against gobench.exe http, a Go HTTP
#             server on 127.0.0.1 run by the side: AB_REQUESTS requests,
#             AB_CONCURRENCY at once, for a 128-byte body, once with a
#             connection per request (ab_go_req_per_s) and once with
#             keep-alive, ab -k (ab_go_keepalive_req_per_s)
#   ab-node   the same against Node.js (build/deps/node/node.exe, from
#             scripts/deps.sh) running bench/httpserver.js (ab_node_*)
# ROUNDS rounds (default 5), the order rotating each round so that drift
# (thermal, page cache, other load) hits every side alike. Prints every run,
# then per measure the median of each side and the ratios
#   frontend/host (target >= 0.9), layered/frontend (>= 0.9),
#   capture/layered (>= 0.85), filtered/layered (>= 0.98)
# for the rates (*_per_s), and the medians of the costs (*_ns, *_bytes) with
# how flat the per-send time stays as sockets are opened.
#
# Environment:
#   ROUNDS         rounds (default 5)
#   SIDES          sides to run (default "host frontend layered capture filtered")
#   WORKLOADS      workloads to run (default "lbbench goecho ab-go ab-node")
#   BENCH_ARGS     arguments of lbbench.exe (default: pingpong 20000
#                  send64 200000 overlapped 20000 bulk 1024 sockets 10000
#                  iocp 20000 iocpbulk 512 udp 20000 connect 300)
#   GO_ECHO_MIB    MiB the Go echo moves (default 32)
#   AB_REQUESTS    requests of each ab run (default 1000)
#   AB_CONCURRENCY ab's concurrent requests (default 4)
#   WINEPREFIX     prefix of host and frontend (default build/bench-prefix)
#   LSP_PREFIX     prefix of layered and capture (default build/bench-lsp-prefix)
#                  Both are made by scripts/prefix.sh when missing; lspkit is
#                  installed in LSP_PREFIX (again: installing is idempotent)
#                  and capture is left disabled there. Each prefix's
#                  wineserver is kept up during the run and shut down at the end.
#   BENCH_CPU      CPU to pin everything to (wineservers, all sides, ab;
#                  default: the last one); "none" leaves scheduling to the kernel
#   BENCH_STRICT=1 exit 1 when a ratio misses its target
# Without a front end (build/x64/frontend/ws2_32.dll) only the host side runs; without
# lspkit.dll or lspinst.exe, layered and capture are left out; without
# gobench.exe (make bench builds it), ab or node.exe, the workloads that need
# them are left out.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
exe=$(readlink -f "${1:-$repo/build/x64/bench/lbbench.exe}")
rounds=${ROUNDS:-5}
read -r -a args <<<"${BENCH_ARGS:-pingpong 20000 send64 200000 overlapped 20000 bulk 1024 sockets 10000 iocp 20000 iocpbulk 512 udp 20000 connect 300}"
read -r -a wanted <<<"${SIDES:-host frontend layered capture filtered}"
read -r -a wanted_workloads <<<"${WORKLOADS:-lbbench goecho ab-go ab-node}"
echo_mib=${GO_ECHO_MIB:-32}
ab_requests=${AB_REQUESTS:-1000}
ab_concurrency=${AB_CONCURRENCY:-4}
lspinst=$repo/build/x64/lspinst.exe
wrapper=$repo/bin/lspkit-wine
gobench=$repo/build/x64/bench/gobench.exe
node=$repo/build/deps/node/node.exe
allow_filter=$repo/build/x64/bench/lspkit_allow.dll
# A run that takes longer than this (seconds) has hung: the bench fails.
run_limit=600
# Capture files go here (C:\bench-caps in LSP_PREFIX), removed after each run.
cap_win='C:\bench-caps'

[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: ROUNDS must be a positive number" >&2; exit 2; }
for n in "$echo_mib" "$ab_requests" "$ab_concurrency"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: GO_ECHO_MIB, AB_REQUESTS and AB_CONCURRENCY must be positive numbers" >&2; exit 2; }
done

base_prefix=$(readlink -f "${WINEPREFIX:-$repo/build/bench-prefix}")
lsp_prefix=$(readlink -f "${LSP_PREFIX:-$repo/build/bench-lsp-prefix}")
cap_dir=$lsp_prefix/drive_c/bench-caps
export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-"mscoree,mshtml="}
# Node.js refuses the Windows version Wine reports unless told not to check.
export NODE_SKIP_PLATFORM_CHECK=1

# Pinned to one CPU, ping-pong measures the code path rather than where the
# kernel happens to wake the peer thread: unpinned on this 2-CPU VM the same
# binary gave 1400..9900 round trips/s from run to run, pinned 9300..12000.
cpu=${BENCH_CPU:-$(($(nproc) - 1))}
pin=()
if [ "$cpu" != none ]; then
    [[ $cpu =~ ^[0-9]+$ ]] || { echo "run.sh: BENCH_CPU must be a CPU number or none" >&2; exit 2; }
    pin=(taskset -c "$cpu")
fi

have_front=0 have_lsp=0
[ -s "$repo/build/x64/frontend/ws2_32.dll" ] && have_front=1
[ "$have_front" = 1 ] && [ -s "$repo/build/x64/lspkit.dll" ] && [ -s "$lspinst" ] && have_lsp=1
sides=()
for side in "${wanted[@]}"; do
    case $side in
        host) sides+=(host) ;;
        frontend) [ "$have_front" = 1 ] && sides+=(frontend) ||
            echo "run.sh: no front end (build/x64/frontend/ws2_32.dll): no frontend side" >&2 ;;
        layered|capture) [ "$have_lsp" = 1 ] && sides+=("$side") ||
            echo "run.sh: no lspkit.dll or lspinst.exe: no $side side" >&2 ;;
        filtered) [ "$have_lsp" = 1 ] && [ -s "$allow_filter" ] && sides+=(filtered) ||
            echo "run.sh: no lspkit.dll, lspinst.exe or $allow_filter: no filtered side" >&2 ;;
        *) echo "run.sh: unknown side $side" >&2; exit 2 ;;
    esac
done
[ "${#sides[@]}" -gt 0 ] || { echo "run.sh: no side to run" >&2; exit 2; }
uses() { [[ " ${sides[*]} " == *" $1 "* ]]; }

# Leaves out, with a word, a workload whose program is missing.
workloads=()
for workload in "${wanted_workloads[@]}"; do
    case $workload in
        lbbench) need=("$exe") ;;
        goecho) need=("$gobench") ;;
        ab-go) need=("$gobench" /usr/bin/ab) ;;
        ab-node) need=("$node" /usr/bin/ab) ;;
        *) echo "run.sh: unknown workload $workload" >&2; exit 2 ;;
    esac
    missing=$(for f in "${need[@]}"; do [ -f "$f" ] || echo "$f"; done)
    if [ -n "$missing" ]; then
        echo "run.sh: no $(tr '\n' ' ' <<<"$missing")(make bench, scripts/deps.sh): no $workload workload" >&2
    else
        workloads+=("$workload")
    fi
done
[ "${#workloads[@]}" -gt 0 ] || { echo "run.sh: no workload to run" >&2; exit 2; }

results=$(mktemp)
log=$(mktemp)
server_log=$(mktemp)
servers=()
cleanup() {
    local p
    for p in "${servers[@]}"; do WINEPREFIX=$p wineserver -k 2>/dev/null || true; done
    rm -f "$results" "$log" "$server_log"
}
trap cleanup EXIT

# One server per prefix for the whole run, pinned like the programs:
# starting it per run would add its start-up to whichever side comes first.
start_server() {
    WINEPREFIX=$1 "$repo/scripts/prefix.sh" "$1" >&2
    # Fails when the server is already up, which is as good.
    WINEPREFIX=$1 "${pin[@]}" wineserver -p </dev/null >/dev/null 2>&1 || true
    servers+=("$1")
}
if uses host || uses frontend; then start_server "$base_prefix"; fi

# The Windows name of a file of this tree (Wine's Z: drive is /).
winepath_of() {
    echo "Z:${1//\//\\}"
}

# lspinst in LSP_PREFIX; output to a file (see run_side), shown on failure.
lspinst_cmd() {
    local rc=0
    WINEPREFIX=$lsp_prefix "$wrapper" "$lspinst" "$@" </dev/null >"$log" 2>&1 || rc=$?
    if [ "$rc" != 0 ]; then
        echo "run.sh: lspinst $* failed (exit $rc):" >&2
        tr -d '\r' <"$log" >&2
        exit 1
    fi
}
if uses layered || uses capture || uses filtered; then
    start_server "$lsp_prefix"
    lspinst_cmd install
    lspinst_cmd config --disable --directory "$cap_win"
    # Left over by a run that was stopped: the layered side has no filter.
    WINEPREFIX=$lsp_prefix "$wrapper" "$lspinst" filter remove allow </dev/null >/dev/null 2>&1 || true
fi

# Runs PROGRAM [ARGS...] as SIDE does, pinned and bounded in time, output
# to the file OUT: to a file, not a pipe, since Wine's service processes,
# started by the first program of a prefix, inherit its stdout and would
# hold a pipe open (and node.exe cannot write to one under Wine).
launch() {
    local side=$1 out=$2
    shift 2
    case $side in
        host) WINEPREFIX=$base_prefix timeout -k 10 "$run_limit" "${pin[@]}" wine "$@" ;;
        frontend) WINEPREFIX=$base_prefix timeout -k 10 "$run_limit" "${pin[@]}" "$wrapper" "$@" ;;
        layered|capture|filtered) WINEPREFIX=$lsp_prefix timeout -k 10 "$run_limit" "${pin[@]}" "$wrapper" "$@" ;;
    esac </dev/null >"$out" 2>&1
}

# Fails the bench with what $log holds.
run_failed() {
    echo "run.sh: $1 failed:" >&2
    tr -d '\r' <"$log" >&2
    exit 1
}

# ab against an HTTP server that SIDE runs (PROGRAM [ARGS...], which prints
# "listening PORT" and ends at GET /quit): without and with keep-alive.
# Prints "ab_NAME_req_per_s RATE" and "ab_NAME_keepalive_req_per_s RATE".
ab_against() {
    local side=$1 name=$2 port="" server rc=0 keep measure i
    shift 2
    # Not holding the caller's stdout: that is the pipe of a $(...) which
    # would wait for the server's end.
    launch "$side" "$server_log" "$@" >/dev/null 2>&1 &
    server=$!
    for ((i = 0; i < 10 * run_limit; i++)); do
        port=$(tr -d '\r' <"$server_log" | sed -n 's/^listening \([0-9]*\)$/\1/p')
        [ -n "$port" ] || ! kill -0 "$server" 2>/dev/null || { sleep 0.1; continue; }
        break
    done
    if [ -z "$port" ]; then
        cp "$server_log" "$log"
        run_failed "$side: the $name server (no 'listening PORT')"
    fi
    for keep in "" -k; do
        measure=ab_${name}${keep:+_keepalive}_req_per_s
        timeout -k 10 "$run_limit" "${pin[@]}" ab -q -n "$ab_requests" -c "$ab_concurrency" $keep \
            "http://127.0.0.1:$port/" </dev/null >"$log" 2>&1 || run_failed "$side: ab $keep against the $name server"
        # Every request answered, with 200, and with -k over kept connections.
        awk -v n="$ab_requests" -v keep="$keep" -v m="$measure" '
            /^Complete requests:/ { done = $3 } /^Failed requests:/ { failed = $3 }
            /^Non-2xx responses:/ { non2xx = $3 } /^Keep-Alive requests:/ { kept = $3 }
            /^Requests per second:/ { rate = $4 }
            END { if (done != n || failed != 0 || non2xx || (keep != "" && kept == 0) || rate == "") exit 1
                  print m, rate }' <"$log" || run_failed "$side: ab $keep against the $name server (failed requests)"
    done
    timeout -k 10 "$run_limit" ab -q -n 1 "http://127.0.0.1:$port/quit" </dev/null >/dev/null 2>&1 || true
    wait "$server" || rc=$?
    if [ "$rc" != 0 ]; then
        cp "$server_log" "$log"
        run_failed "$side: the $name server (exit $rc)"
    fi
}

# Runs WORKLOAD once on SIDE; prints its figures, "NAME VALUE" each.
run_workload() {
    local side=$1 rc=0
    case $2 in
        lbbench) launch "$side" "$log" "$exe" "${args[@]}" || rc=$? ;;
        goecho) launch "$side" "$log" "$gobench" echo "$echo_mib" || rc=$? ;;
        ab-go) ab_against "$side" go "$gobench" http; return ;;
        ab-node) ab_against "$side" node "$node" "Z:$repo/bench/httpserver.js"; return ;;
    esac
    if [ "$rc" != 0 ] || ! tr -d '\r' <"$log" | grep -q '_per_s \|_ns \|_bytes '; then
        run_failed "$side $2 (exit $rc)"
    fi
    tr -d '\r' <"$log" | grep -E '_(per_s|ns|bytes|limit) '
}

# Runs every workload on one side once; appends "SIDE NAME VALUE" for each
# figure. The capture side turns capture on for its runs, and each of its
# runs must leave a pcapng file, or the side measured nothing.
run_side() {
    local side=$1 workload out note bytes
    [ "$side" != capture ] || lspinst_cmd config --enable
    [ "$side" != filtered ] || lspinst_cmd filter add allow "$(winepath_of "$allow_filter")"
    for workload in "${workloads[@]}"; do
        [ "$side" != capture ] || rm -rf "$cap_dir"
        out=$(run_workload "$side" "$workload") || exit 1
        note=
        if [ "$side" = capture ]; then
            bytes=$(find "$cap_dir" -name '*.pcapng' -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
            if [ "$bytes" = 0 ]; then
                echo "run.sh: capture run of $workload left no pcapng file in $cap_dir" >&2
                printf '%s\n' "$out" >&2
                exit 1
            fi
            note=" (pcapng: $((bytes / 1048576)) MiB)"
            rm -rf "$cap_dir"
        fi
        sed "s/^/$side /" <<<"$out" >>"$results"
        printf '  %-8s %s%s\n' "$side" "$(tr '\n' ' ' <<<"$out")" "$note"
    done
    [ "$side" != capture ] || lspinst_cmd config --disable
    [ "$side" != filtered ] || lspinst_cmd filter remove allow
}

echo "workloads: ${workloads[*]} (lbbench ${args[*]}; goecho $echo_mib MiB;" \
     "ab $ab_requests requests, $ab_concurrency at once)"
echo "$rounds rounds, sides: ${sides[*]}, CPU: $cpu"
n=${#sides[@]}
for ((r = 1; r <= rounds; r++)); do
    # Round r starts at side (r-1) mod n: each side takes each place in turn.
    order=()
    for ((i = 0; i < n; i++)); do order+=("${sides[$(((r - 1 + i) % n))]}"); done
    echo "round $r (${order[*]})"
    for side in "${order[@]}"; do run_side "$side"; done
done

# Median of the values of SIDE for measure NAME ("-" when none).
median() {
    awk -v s="$1" -v m="$2" '$1 == s && $2 == m { print $3 }' "$results" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
measures=$(awk '{ print $2 }' "$results" | awk '!seen[$0]++')

# Target of NUM/DEN for a rate measure; "-" for none.
target() {
    case $1/$2 in
        frontend/host) echo 0.9 ;;
        capture/layered) echo 0.85 ;;
        filtered/layered) echo 0.98 ;;
        layered/frontend)
            case $3 in
                *_per_s) echo 0.90 ;;
                *) echo - ;;
            esac ;;
    esac
}

missed=0
compare() {
    local num=$1 den=$2 measure a b ratio t verdict
    uses "$num" && uses "$den" || return 0
    echo
    printf '%-28s %14s %14s %8s %7s  %s\n' rate "$den" "$num" ratio target verdict
    for measure in $measures; do
        [[ $measure == *_per_s ]] || continue
        a=$(median "$num" "$measure")
        b=$(median "$den" "$measure")
        [ "$a" != - ] && [ "$b" != - ] || continue
        ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')
        t=$(target "$num" "$den" "$measure")
        if [ "$t" = - ]; then
            verdict=-
        elif awk -v r="$ratio" -v t="$t" 'BEGIN { exit !(r >= t) }'; then
            verdict=met
        else
            verdict=MISSED
            missed=1
        fi
        printf '%-28s %14s %14s %8s %7s  %s\n' "$measure" "$b" "$a" "$ratio" "$t" "$verdict"
    done
}
compare frontend host
compare layered frontend
compare capture layered
compare filtered layered

# Costs: medians per side, and the per-send time with the most sockets open
# over the one with 10 open (1.00: flat).
costs=$(grep -E '_(ns|bytes|limit)$' <<<"$measures" || true)
if [ -n "$costs" ]; then
    echo
    printf '%-26s' cost
    for side in "${sides[@]}"; do printf ' %12s' "$side"; done
    echo
fi
for measure in $costs; do
    printf '%-26s' "$measure"
    for side in "${sides[@]}"; do printf ' %12s' "$(median "$side" "$measure")"; done
    echo
done
last=$(grep -o 'open_[0-9]*_send_ns' <<<"$measures" | sort -t_ -k2,2n | tail -1 || true)
if [ -n "$last" ] && [ "$last" != open_10_send_ns ]; then
    printf '%-26s' "flatness ${last#open_}"
    for side in "${sides[@]}"; do
        printf ' %12s' "$(awk -v a="$(median "$side" "$last")" -v b="$(median "$side" open_10_send_ns)" \
            'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.3f", a / b }')"
    done
    echo
fi

if [ "$missed" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
    exit 1
fi
