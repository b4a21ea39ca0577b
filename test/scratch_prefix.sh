# SPDX-License-Identifier: MIT
# test/scratch_prefix.sh: sourced by the end-to-end scripts that run
# programs through lspkit in a Wine prefix of their own (test/*.sh).
#
# scratch_work NAME: makes the scratch directory of the script NAME,
# /tmp/lspkit-NAME.XXXXXX, as $work, and names $prefix=$work/prefix (not
# made here); on exit, every Wine process of that prefix is ended and the
# directory removed.
scratch_work() {
    work=$(mktemp -d "/tmp/lspkit-$1.XXXXXX")
    prefix=$work/prefix
    trap scratch_cleanup EXIT
}
scratch_cleanup() {
    WINEPREFIX=$prefix wineserver -k 2>/dev/null || true
    WINEPREFIX=$prefix wineserver -w 2>/dev/null || true
    rm -rf "$work"
}
#
# scratch_prefix DIR: makes DIR a copy of the test template prefix
# (build/test-prefix; a fresh prefix from scripts/prefix.sh when there is
# none) and the WINEPREFIX of everything after, with Wine quiet and without
# the components the tests never need.
scratch_prefix() {
    export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
    export WINEPREFIX=$1
    if [ -d build/test-prefix ]; then
        cp -a build/test-prefix "$1"
    else
        scripts/prefix.sh "$1" >/dev/null
    fi
}
