#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the catalog fuzz target for Linux (clang, libFuzzer, ASan, UBSan:
# test/fuzz/catalog_fuzz.c over catalog/, with the Windows declarations of
# test/fuzz/shim/) and runs it for FUZZ_SECONDS (default 60) from the
# corpus in test/fuzz/corpus (backups lspinst wrote). The tree's corpus is
# only read: what the run finds goes to a temporary copy. A crash, a leak or
# undefined behaviour fails the run and leaves the input under
# build/host/fuzz-crashes/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
cc=$(command -v clang-14 || command -v clang || true)
[ -n "$cc" ] || { echo "fuzz: no clang (scripts/deps.sh installs clang-14)" >&2; exit 1; }
mkdir -p build/host build/host/fuzz-crashes
"$cc" -std=c11 -g -O1 -fshort-wchar -Wall -Wextra -Werror -Wno-ignored-attributes \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Itest/fuzz/shim catalog/*.c common/text.c test/fuzz/shim/shim.c test/fuzz/catalog_fuzz.c \
    -o build/host/catalog_fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp test/fuzz/corpus/* "$work/"
if build/host/catalog_fuzz -max_total_time="$seconds" -rss_limit_mb=2048 \
       -artifact_prefix=build/host/fuzz-crashes/ "$work" >build/host/fuzz.log 2>&1; then
    runs=$(grep -oE '^Done [0-9]+ runs' build/host/fuzz.log | grep -oE '[0-9]+' || echo 0)
    echo "catalog fuzz: $runs inputs in ${seconds} s, no crash: 1 passed, 0 failed"
else
    grep -E 'ERROR|SUMMARY|runtime error' build/host/fuzz.log | head -5 >&2
    echo "catalog fuzz: a crash (input in build/host/fuzz-crashes/, log build/host/fuzz.log): 0 passed, 1 failed"
    exit 1
fi
