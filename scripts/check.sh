#!/usr/bin/env bash
# What `make check` runs: install what is missing, build everything, make the
# template Wine prefix, run every test line. Each step is quick when its
# result is already there, so a warm run costs little more than the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
make -j2 all tests
scripts/prefix.sh build/test-prefix
scripts/run-tests.sh "$@"
