# SPDX-License-Identifier: MIT
# test/scratch_prefix.sh: sourced by the end-to-end scripts that run
# programs through lspkit in a Wine prefix of their own (test/*.sh).
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
