#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: scripts/licence.sh [--add]
# Lists the source files of the tree (in a checkout: tracked or new, not
# ignored) whose
# first lines lack the SPDX line "SPDX-License-Identifier: MIT", and exits 1
# when there are any; with --add, puts the line in, in each language's
# comment form (after a #! line). make check runs the listing, so that no
# file lands without it.
set -euo pipefail
cd "$(dirname "$0")/.."
add=${1:-}
tag='SPDX-License-Identifier: MIT'

# The comment form of the tag for FILE, or nothing for a file that is not
# source (documents, data, test lists).
comment_for() {
    case $1 in
        *.c|*.h|*.S) echo "/* $tag */" ;;
        *.go|*.js) echo "// $tag" ;;
        *.def) echo "; $tag" ;;
        *.sh|*.mk|*.awk|*.py|Makefile|*/Makefile|bin/*|.ci/run) echo "# $tag" ;;
    esac
}

# The tree's files: git's list in a checkout, else (a copy, as CI checks)
# every file outside build/.
tree_files() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files -z --cached --others --exclude-standard
    else
        find . -path ./build -prune -o -type f -printf '%P\0'
    fi
}

missing=0
while IFS= read -r -d '' file; do
    line=$(comment_for "$file")
    [ -n "$line" ] || continue
    head -n 3 "$file" | grep -q "$tag" && continue
    if [ "$add" = --add ]; then
        if head -n 1 "$file" | grep -q '^#!'; then
            sed -i "1a $line" "$file"
        else
            sed -i "1i $line" "$file"
        fi
    else
        echo "licence: no SPDX line: $file" >&2
        missing=1
    fi
done < <(tree_files)
exit "$missing"
