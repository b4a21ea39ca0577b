#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The layered provider's modules depend one way (docs/architecture.md): no
# module calls, or includes the header of, a module that reaches back to it.
#
# A module is a .c file of provider/ (capture/ included) with its .h. A
# header without a .c (fault.h, probe.h: hooks whose bodies live in test/
# and compile to nothing in the DLL) is no module: what it includes counts
# as included by each file that includes it. Calls are read from the
# symbol tables of the objects lspkit.dll is linked from, so only what the
# DLL really calls counts. Prints "provider_layers: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
objs=${1:-build/x64/obj/provider}
nm=x86_64-w64-mingw32-nm
passed=0 failed=0

# Prints "module symbol-kind symbol" for every defined (D) and undefined (U)
# global symbol of every object.
symbols() {
    local o module
    for o in $(find "$objs" -name '*.o' | sort); do
        module=${o#"$objs"/}
        module=${module%.o}
        "$nm" "$o" | awk -v m="$module" '
            NF == 3 && $2 ~ /^[TDBR]$/ { print m, "D", $3 }
            NF == 2 && $1 == "U" { print m, "U", $2 }'
    done
}

# Edges "caller callee" between modules, each once.
call_edges() {
    symbols | awk '
        { kind[NR] = $2; mod[NR] = $1; sym[NR] = $3 }
        $2 == "D" { owner[$3] = $1 }
        END {
            for (i = 1; i <= NR; i++)
                if (kind[i] == "U" && (sym[i] in owner) && owner[sym[i]] != mod[i])
                    print mod[i], owner[sym[i]]
        }' | sort -u
}

# The quoted includes of FILE, as paths from the repository's root.
includes_of() {
    local file=$1 dir target
    dir=$(dirname "$file")
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file" |
        while read -r target; do
            realpath -m --relative-to=. "$dir/$target"
        done
}

# The modules FILE reaches through its includes, through header-only files.
reached_modules() {
    local target
    for target in $(includes_of "$1"); do
        case $target in provider/*) ;; *) continue ;; esac
        if [ -f "${target%.h}.c" ]; then
            echo "${target#provider/}"
        elif [ -f "$target" ]; then
            reached_modules "$target"
        fi
    done
}

include_edges() {
    local file module target
    for file in $(find provider -name '*.c' | sort); do
        module=${file#provider/}
        module=${module%.c}
        for target in $(reached_modules "$file") $(reached_modules "${file%.c}.h" 2>/dev/null || true); do
            target=${target%.h}
            [ "$target" = "$module" ] || echo "$module $target"
        done
    done | sort -u
}

# tsort orders a graph without a cycle and names one otherwise.
check_acyclic() {
    local what=$1 edges=$2 loop
    if [ -z "$edges" ]; then
        echo "FAIL $what: no edges read (is $objs built?)"
        failed=$((failed + 1))
    elif loop=$(tsort <<<"$edges" 2>&1 >/dev/null) && [ -z "$loop" ]; then
        echo "PASS $what: $(wc -l <<<"$edges") edges, no cycle"
        passed=$((passed + 1))
    else
        echo "FAIL $what has a cycle:"
        sed 's/^/  /' <<<"$loop"
        failed=$((failed + 1))
    fi
}

check_acyclic "provider calls" "$(call_edges)"
check_acyclic "provider includes" "$(include_edges)"
echo "provider_layers: $passed passed, $failed failed"
[ "$failed" = 0 ]
