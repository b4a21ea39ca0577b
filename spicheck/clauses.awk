# SPDX-License-Identifier: MIT
# clauses.awk: the clause table of docs/spec/clauses.md as C, for
# spicheck (see spicheck/module.mk). A clause is a table row whose first
# cell is an ID such as S01, B05 or L08; its text is the second cell.
BEGIN {
    print "/* Generated from clauses.md by spicheck/clauses.awk: do not edit. */"
    print "#include \"spicheck.h\""
    print ""
    print "const struct sc_clause sc_clauses[] = {"
    n = 0
}
/^\|[ \t]*[A-Z][0-9][0-9][ \t]*\|/ {
    split($0, cell, "|")
    id = cell[2]; text = cell[3]
    gsub(/^[ \t]+|[ \t]+$/, "", id)
    gsub(/^[ \t]+|[ \t]+$/, "", text)
    gsub(/\\/, "\\\\", text)
    gsub(/"/, "\\\"", text)
    if (id in seen) { printf "clauses.awk: clause %s listed twice\n", id > "/dev/stderr"; bad = 1 }
    seen[id] = 1
    printf "    { \"%s\", \"%s\" },\n", id, text
    n++
}
END {
    print "};"
    printf "const unsigned sc_clause_count = %d;\n", n
    if (n == 0) { print "clauses.awk: no clause found" > "/dev/stderr"; exit 1 }
    if (bad) exit 1
}
