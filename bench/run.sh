#!/usr/bin/env bash
# Usage: bench/run.sh [LBBENCH.exe]   (default: build/x64/bench/lbbench.exe)
#
# Runs the same loopback benchmark binary on Wine's own ws2_32 ("host",
# plain wine) and through the lspkit front end ("frontend",
# bin/lspkit-wine), interleaved: ROUNDS rounds (default 5), the order
# alternating each round so that drift (thermal, page cache, other load)
# hits both sides alike. Prints every run, then for each measure the median
# of each side and the ratio frontend/host against the target (>= 0.9).
#
# Environment:
#   ROUNDS         rounds (default 5)
#   BENCH_ARGS     arguments of lbbench.exe (default: pingpong 20000 bulk 1024)
#   WINEPREFIX     prefix for both sides (default: build/bench-prefix, made by
#                  scripts/prefix.sh); its wineserver is kept up during the
#                  run and shut down at the end
#   BENCH_CPU      CPU to pin everything to (wineserver, both sides; default:
#                  the last one); "none" leaves scheduling to the kernel
#   BENCH_STRICT=1 exit 1 when a ratio misses the target
# Without a front end (build/x64/ws2_32.dll) only the host side runs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
exe=$(readlink -f "${1:-$repo/build/x64/bench/lbbench.exe}")
rounds=${ROUNDS:-5}
read -r -a args <<<"${BENCH_ARGS:-pingpong 20000 bulk 1024}"
target=0.9

[ -f "$exe" ] || { echo "run.sh: no benchmark binary $exe (make first)" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: ROUNDS must be a positive number" >&2; exit 2; }

export WINEPREFIX=${WINEPREFIX:-$repo/build/bench-prefix}
export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-"mscoree,mshtml="}
"$repo/scripts/prefix.sh" "$WINEPREFIX" >&2

# Pinned to one CPU, ping-pong measures the code path rather than where the
# kernel happens to wake the peer thread: unpinned on this 2-CPU VM the same
# binary gave 1400..9900 round trips/s from run to run, pinned 9300..12000.
cpu=${BENCH_CPU:-$(($(nproc) - 1))}
pin=()
if [ "$cpu" != none ]; then
    [[ $cpu =~ ^[0-9]+$ ]] || { echo "run.sh: BENCH_CPU must be a CPU number or none" >&2; exit 2; }
    pin=(taskset -c "$cpu")
fi

sides=(host)
if [ -s "$repo/build/x64/ws2_32.dll" ]; then
    sides+=(frontend)
else
    echo "run.sh: no front end (build/x64/ws2_32.dll): host side only" >&2
fi

# One server for the whole run: starting it per run would add its start-up
# to whichever side comes first.
results=$(mktemp)
log=$(mktemp)
"${pin[@]}" wineserver -p </dev/null >/dev/null 2>&1
trap 'wineserver -k 2>/dev/null || true; rm -f "$results" "$log"' EXIT

# Runs one side once; appends "SIDE NAME VALUE" for each rate line. Output
# goes to a file, not a pipe: Wine's service processes, started by the first
# program of a prefix, inherit its stdout and would hold a pipe open.
run_side() {
    local side=$1 out rc=0
    case $side in
        host) "${pin[@]}" wine "$exe" "${args[@]}" </dev/null >"$log" 2>&1 || rc=$? ;;
        frontend) "${pin[@]}" "$repo/bin/lspkit-wine" "$exe" "${args[@]}" </dev/null >"$log" 2>&1 || rc=$? ;;
    esac
    out=$(tr -d '\r' <"$log")
    if [ "$rc" != 0 ] || ! grep -q '_per_s ' <<<"$out"; then
        echo "run.sh: $side run failed (exit $rc):" >&2
        printf '%s\n' "$out" >&2
        exit 1
    fi
    grep '_per_s ' <<<"$out" | sed "s/^/$side /" >>"$results"
    printf '  %-8s %s\n' "$side" "$(grep '_per_s ' <<<"$out" | tr '\n' ' ')"
}

echo "lbbench ${args[*]}: $rounds rounds, sides: ${sides[*]}, CPU: $cpu"
for ((r = 1; r <= rounds; r++)); do
    echo "round $r"
    order=()
    for side in "${sides[@]}"; do
        if ((r % 2)); then order+=("$side"); else order=("$side" "${order[@]}"); fi
    done
    for side in "${order[@]}"; do run_side "$side"; done
done

# Median of the values of SIDE for measure NAME.
median() {
    awk -v s="$1" -v m="$2" '$1 == s && $2 == m { print $3 }' "$results" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

missed=0
echo
printf '%-20s %14s %14s %8s  %s\n' measure host_median frontend_median ratio "target >= $target"
for measure in $(awk '{ print $2 }' "$results" | awk '!seen[$0]++'); do
    h=$(median host "$measure")
    f=$(median frontend "$measure")
    if [ "$f" = "-" ]; then
        ratio=- verdict="(no front end)"
    else
        ratio=$(awk -v a="$f" -v b="$h" 'BEGIN { printf "%.3f", a / b }')
        if awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r >= t) }'; then
            verdict=met
        else
            verdict=MISSED
            missed=1
        fi
    fi
    printf '%-20s %14s %14s %8s  %s\n' "$measure" "$h" "$f" "$ratio" "$verdict"
done

if [ "$missed" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
    exit 1
fi
