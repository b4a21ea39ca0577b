#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What ships carries no test machinery (docs/architecture.md, "Test builds"):
# each release binary, x64 and x86, exports exactly what its .def names (the
# executables and the driver: nothing, the driver's entry point aside), and
# none holds, in ASCII or UTF-16, the name of a fault or probe hook, of an
# lspinst fault switch or of an export of the tests' builds.
#
# The names are read from the sources that define them, so a new hook or
# switch is covered when it is written. The tests' builds must hold them:
# the check proves that it can see what it looks for. Prints
# "shipped_binaries: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
objdump=x86_64-w64-mingw32-objdump
passed=0 failed=0

pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# The names of FILE's export table, one a line, sorted.
exports_of() {
    "$objdump" -p "$1" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' |
        sed -n 's/^[[:space:]]*\[[[:space:]]*[0-9]*\] //p' | sort
}

# The names a .def file exports, one a line, sorted.
def_names() {
    sed -n '/^EXPORTS/,$p' "$1" | sed -e 's/;.*//' -e '/^EXPORTS/d' |
        awk 'NF { sub(/[@=].*/, "", $1); print $1 }' | sort
}

# The test machinery's names: hooks declared by the hook headers, lspinst's
# fault switches, and what the tests' builds export.
markers() {
    grep -ohE '\b(fault|probe)_[a-z_]+\(' provider/fault.h provider/probe.h | tr -d '('
    grep -ohE '"LSPINST_FAIL_[A-Z_]+"' installer/*.c | tr -d '"'
    grep -rhoE 'dllexport\)[^(]*\b[a-z_]+\(' test/probes test/probe_filter | grep -oE '[a-z_]+\($' |
        tr -d '('
}

# The markers found in FILE, one a line.
markers_in() {
    { strings -a "$1"; strings -a -el "$1"; } | grep -owF -f <(markers) | sort -u || true
}

check_exports() {
    local file=$1 expected=$2 got
    got=$(exports_of "$file")
    if [ "$got" = "$expected" ]; then
        pass "$file exports $(wc -w <<<"$got") names, as it should"
    else
        fail "$file exports what it should not, or lacks what it should:"
        diff <(echo "$expected") <(echo "$got") | sed -n 's/^[<>]/  &/p'  || true
    fi
}

check_clean() {
    local file=$1 found
    found=$(markers_in "$file")
    if [ -z "$found" ]; then
        pass "$file holds no test machinery"
    else
        fail "$file holds test machinery: $(tr '\n' ' ' <<<"$found")"
    fi
}

# The positive controls: a tests' build must show what the check looks for.
check_holds() {
    local file=$1 marker=$2
    if markers_in "$file" | grep -qx "$marker"; then
        pass "$file (a tests' build) holds $marker, so the check can see it"
    else
        fail "$file (a tests' build) does not hold $marker: the check is blind to it"
    fi
}

[ "$(markers | wc -l)" -ge 10 ] || fail "too few names of test machinery read: $(markers | tr '\n' ' ')"
for arch in x64 x86; do
    b=build/$arch
    check_exports $b/lspkit.dll "$(def_names provider/lspkit.def)"
    check_exports $b/lspkit_base.dll "$(def_names spi/base/lspkit_base.def)"
    check_exports $b/frontend/ws2_32.dll "$(def_names spi/ws2_32.def)"
    check_exports $b/lspinst.exe ""
    check_exports $b/spicheck.exe ""
    check_exports $b/lspkit_ifs.sys ""
    for file in $b/lspkit.dll $b/lspkit_base.dll $b/frontend/ws2_32.dll $b/lspinst.exe \
                $b/spicheck.exe $b/lspkit_ifs.sys; do
        check_clean "$file"
    done
    # The shipped filters (filters/module.mk's FILTER_NAMES).
    for name in $(sed -n 's/^FILTER_NAMES := //p' filters/module.mk); do
        check_exports $b/lspkit_$name.dll "$(def_names filters/$name/$name.def)"
        check_clean $b/lspkit_$name.dll
    done
done
check_holds build/x64/tests/lspinst.exe LSPINST_FAIL_AFTER_WRITES
check_holds build/x64/tests/providers/lspkit.dll lspkit_inspect_counts
check_holds build/x64/tests/broken_lsp_direct_routine.dll fault_run_routine_now
check_holds build/x64/tests/lspkit_probe_filter.dll probe_filter_policy
echo "shipped_binaries: $passed passed, $failed failed"
[ "$failed" = 0 ]
