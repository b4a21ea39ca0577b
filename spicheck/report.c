/* SPDX-License-Identifier: MIT */
/* report.c: the text lines, the transparency table and the JUnit file. */
#include "spicheck.h"

#include <stdio.h>
#include <string.h>

const char *report_verdict_name(enum sc_verdict v)
{
    switch (v) {
    case SC_PASS: return "pass";
    case SC_FAIL: return "FAIL";
    case SC_SKIP: return "not-testable-here";
    default: return "not-run";
    }
}

void report_line(const struct sc_clause *clause, const struct sc_result *r)
{
    if (r->verdict == SC_NOT_RUN)
        return;
    printf("%-4s %-17s %5.1fs  %.60s%s\n", clause->id, report_verdict_name(r->verdict),
           r->seconds, clause->text, strlen(clause->text) > 60 ? "..." : "");
    if (r->reason[0])
        printf("     %s\n", r->reason);
}

static enum sc_verdict verdict_of(const struct sc_result *results[SC_ARRANGEMENTS],
                                   const BOOL ran[SC_ARRANGEMENTS], int a, unsigned i)
{
    return ran[a] ? results[a][i].verdict : SC_NOT_RUN;
}

/* What a difference means (clauses.md: host against front end is the
 * front end's, host against layered the layered provider's). */
static const char *difference_note(const struct sc_result *results[SC_ARRANGEMENTS],
                                   const BOOL ran[SC_ARRANGEMENTS], unsigned i)
{
    enum sc_verdict host = verdict_of(results, ran, SC_HOST, i),
                    front = verdict_of(results, ran, SC_FRONTEND, i),
                    layered = verdict_of(results, ran, SC_LAYERED, i);

    if (host == SC_SKIP || front == SC_SKIP || layered == SC_SKIP)
        return "testable in some arrangements only";
    if (host == SC_PASS && front == SC_FAIL)
        return "front-end bug: the front end departs from the host";
    if (host == SC_PASS && layered == SC_FAIL)
        return "transparency bug: the layered provider departs from the host";
    if (front == SC_PASS && layered == SC_FAIL)
        return "transparency bug: the layered provider departs from the front end";
    if (host == SC_FAIL && (front == SC_PASS || layered == SC_PASS))
        return "the host departs from the documents; lspkit meets them";
    return "";
}

unsigned report_compare(const struct sc_result *results[SC_ARRANGEMENTS],
                        const BOOL ran[SC_ARRANGEMENTS])
{
    unsigned differ = 0;

    printf("\nTransparency report: clauses whose results differ between arrangements\n");
    printf("%-6s", "clause");
    for (int a = 0; a < SC_ARRANGEMENTS; a++)
        if (ran[a])
            printf(" %-18s", sc_arrangement_name(a));
    printf(" note\n");
    for (unsigned i = 0; i < sc_clause_count; i++) {
        enum sc_verdict first = SC_NOT_RUN;
        BOOL same = TRUE, any = FALSE;

        for (int a = 0; a < SC_ARRANGEMENTS; a++) {
            if (!ran[a] || results[a][i].verdict == SC_NOT_RUN)
                continue;
            if (any && results[a][i].verdict != first)
                same = FALSE;
            first = any ? first : results[a][i].verdict;
            any = TRUE;
        }
        if (same)
            continue;
        differ++;
        printf("%-6s", sc_clauses[i].id);
        for (int a = 0; a < SC_ARRANGEMENTS; a++)
            if (ran[a])
                printf(" %-18s", report_verdict_name(results[a][i].verdict));
        printf(" %s\n", difference_note(results, ran, i));
    }
    if (!differ)
        printf("(none: every clause gives the same result in every arrangement)\n");
    return differ;
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, f);
        }
    }
}

static void junit_suite(FILE *f, enum sc_arrangement a, const struct sc_result *results)
{
    unsigned tests = 0, failures = 0, skipped = 0;
    double seconds = 0;

    for (unsigned i = 0; i < sc_clause_count; i++) {
        if (results[i].verdict == SC_NOT_RUN)
            continue;
        tests++;
        failures += results[i].verdict == SC_FAIL;
        skipped += results[i].verdict == SC_SKIP;
        seconds += results[i].seconds;
    }
    fprintf(f, "  <testsuite name=\"spicheck.%s\" tests=\"%u\" failures=\"%u\" errors=\"0\" "
            "skipped=\"%u\" time=\"%.3f\">\n", sc_arrangement_name(a), tests, failures, skipped,
            seconds);
    for (unsigned i = 0; i < sc_clause_count; i++) {
        const struct sc_result *r = &results[i];

        if (r->verdict == SC_NOT_RUN)
            continue;
        fprintf(f, "    <testcase classname=\"spicheck.%s\" name=\"%s\" time=\"%.3f\">",
                sc_arrangement_name(a), sc_clauses[i].id, r->seconds);
        if (r->verdict == SC_FAIL || r->verdict == SC_SKIP) {
            fprintf(f, "\n      <%s message=\"", r->verdict == SC_FAIL ? "failure" : "skipped");
            xml_text(f, r->reason);
            fprintf(f, "\"/>\n    ");
        }
        fprintf(f, "</testcase>\n");
    }
    fprintf(f, "  </testsuite>\n");
}

BOOL report_junit(const char *path, const struct sc_result *results[SC_ARRANGEMENTS],
                  const BOOL ran[SC_ARRANGEMENTS])
{
    FILE *f = fopen(path, "w");

    if (!f)
        return FALSE;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"spicheck\">\n");
    for (int a = 0; a < SC_ARRANGEMENTS; a++)
        if (ran[a])
            junit_suite(f, (enum sc_arrangement)a, results[a]);
    fprintf(f, "</testsuites>\n");
    return fclose(f) == 0;
}
