#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What `make check` runs: install what is missing, build everything, make the
# template Wine prefix, run every test line. Each step is quick when its
# result is already there, so a warm run costs little more than the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# Every source file carries the licence's SPDX line.
scripts/licence.sh
scripts/deps.sh
make -j2 all tests
scripts/prefix.sh build/test-prefix
# The build's own shape, read from its objects and binaries (seconds): the
# provider's modules depend one way, and what ships carries no test
# machinery.
test/provider_layers.sh
test/shipped_binaries.sh
# Wireshark's own reader on the capture files, before the test lines so that
# the runner's "N passed, M failed" stays the last line; skipped when only
# some lines were asked for.
[ $# -gt 0 ] || test/capture_tshark.sh
[ $# -gt 0 ] || test/layered_capture.sh
# Real programs' captures: Node.js's and Go's HTTP traffic (and Go's UDP),
# held by tshark to the request lines and byte counts the programs
# themselves recorded.
[ $# -gt 0 ] || test/node_capture.sh
[ $# -gt 0 ] || test/go_capture.sh
# The socks5 filter against real SOCKS5 servers (microsocks, Dante), with
# Go, Node.js, WinHTTP and a Check program through it.
[ $# -gt 0 ] || test/filters_socks5.sh
# A real program through the layered provider: GDB's gdbserver and gdb.
[ $# -gt 0 ] || test/gdbserver.sh
# The catalog code fuzzed (Linux build, clang, sanitizers) for a minute.
[ $# -gt 0 ] || test/fuzz/run.sh
# bin/lspkit-wine run 16 times at once, and its LSPKIT_REFRESH_PROVIDERS switch.
[ $# -gt 0 ] || test/launcher_concurrent.sh
scripts/run-tests.sh "$@"
