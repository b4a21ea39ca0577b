/* SPDX-License-Identifier: MIT */
/* rules.c: see rules.h. */
#include "rules.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields a rule may name, each once. */
enum field { FIELD_PROCESS, FIELD_DIRECTION, FIELD_PROTOCOL, FIELD_ADDRESS, FIELD_PORT, FIELD_COUNT };
static const char *const field_names[FIELD_COUNT] = { "process", "dir", "proto", "addr", "port" };

BOOL fw_action_parse(const char *text, enum fw_action *action)
{
    if (!strcmp(text, "allow"))
        *action = FW_ALLOW;
    else if (!strcmp(text, "deny"))
        *action = FW_DENY;
    else
        return FALSE;
    return TRUE;
}

/* A port, 0-65535, in decimal digits only. */
static BOOL parse_port(const char *text, size_t len, unsigned short *port)
{
    unsigned long value = 0;

    if (len == 0 || len > 5)
        return FALSE;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return FALSE;
        value = value * 10 + (unsigned long)(text[i] - '0');
    }
    if (value > 65535)
        return FALSE;
    *port = (unsigned short)value;
    return TRUE;
}

/* "N" or "N-M" with N <= M. */
static BOOL parse_port_range(const char *text, struct fw_rule *rule)
{
    const char *dash = strchr(text, '-');
    size_t len = strlen(text);

    if (!dash) {
        if (!parse_port(text, len, &rule->port_low))
            return FALSE;
        rule->port_high = rule->port_low;
        return TRUE;
    }
    return parse_port(text, (size_t)(dash - text), &rule->port_low)
           && parse_port(dash + 1, len - (size_t)(dash - text) - 1, &rule->port_high)
           && rule->port_low <= rule->port_high;
}

static BOOL parse_value(enum field field, const char *value, struct fw_rule *rule)
{
    switch (field) {
    case FIELD_PROCESS:
        if (strlen(value) >= sizeof(rule->process))
            return FALSE;
        strcpy(rule->process, value);
        return TRUE;
    case FIELD_DIRECTION:
        rule->direction = !strcmp(value, "out") ? FW_OUT : !strcmp(value, "in") ? FW_IN : FW_ANY_DIRECTION;
        return rule->direction != FW_ANY_DIRECTION;
    case FIELD_PROTOCOL:
        rule->protocol = !strcmp(value, "tcp") ? IPPROTO_TCP : !strcmp(value, "udp") ? IPPROTO_UDP : 0;
        return rule->protocol != 0;
    case FIELD_ADDRESS:
        rule->has_address = net_prefix_parse(value, &rule->address);
        return rule->has_address;
    case FIELD_PORT:
        return parse_port_range(value, rule);
    default:
        return FALSE;
    }
}

/* One "name=value" word, into `rule`; `seen` keeps each field to once. */
static BOOL parse_field(char *word, struct fw_rule *rule, BOOL seen[FIELD_COUNT],
                        char *why, size_t why_len)
{
    char *equals = strchr(word, '=');
    int field;

    if (!equals) {
        snprintf(why, why_len, "'%s' is not name=value", word);
        return FALSE;
    }
    *equals = '\0';
    for (field = 0; field < FIELD_COUNT && strcmp(word, field_names[field]); field++)
        ;
    if (field == FIELD_COUNT)
        snprintf(why, why_len, "unknown field '%s'", word);
    else if (seen[field])
        snprintf(why, why_len, "field '%s' given twice", word);
    else if (!equals[1])
        snprintf(why, why_len, "field '%s' has no value", word);
    else if (!parse_value(field, equals + 1, rule))
        snprintf(why, why_len, "bad %s '%s'", word, equals + 1);
    else {
        seen[field] = TRUE;
        return TRUE;
    }
    return FALSE;
}

BOOL fw_rule_parse(const char *text, struct fw_rule *rule, char *why, size_t why_len)
{
    static const char blanks[] = " \t";
    BOOL seen[FIELD_COUNT] = { FALSE };
    char *copy = _strdup(text), *word, *next = NULL;
    BOOL ok;

    memset(rule, 0, sizeof(*rule));
    rule->port_high = 65535;
    if (!copy) {
        snprintf(why, why_len, "out of memory");
        return FALSE;
    }
    word = strtok_s(copy, blanks, &next);
    ok = word && fw_action_parse(word, &rule->action);
    if (!ok)
        snprintf(why, why_len, "does not start with allow or deny");
    while (ok && (word = strtok_s(NULL, blanks, &next)))
        ok = parse_field(word, rule, seen, why, why_len);
    free(copy);
    return ok;
}

/* Image names as Windows compares them: case-insensitively, in Unicode. */
static BOOL same_image(const char *a, const char *b)
{
    WCHAR wide_a[MAX_PATH], wide_b[MAX_PATH];
    int len_a = MultiByteToWideChar(CP_UTF8, 0, a, -1, wide_a, MAX_PATH);
    int len_b = MultiByteToWideChar(CP_UTF8, 0, b, -1, wide_b, MAX_PATH);

    return len_a > 0 && len_b > 0
           && CompareStringOrdinal(wide_a, -1, wide_b, -1, TRUE) == CSTR_EQUAL;
}

static BOOL rule_matches(const struct fw_rule *rule, const struct fw_traffic *t)
{
    return (!rule->process[0] || same_image(rule->process, t->process))
           && (rule->direction == FW_ANY_DIRECTION || rule->direction == t->direction)
           && (!rule->protocol || rule->protocol == t->protocol)
           && (!rule->has_address || net_prefix_contains(&rule->address, &t->address))
           && rule->port_low <= t->port && t->port <= rule->port_high;
}

int fw_rules_first_match(const struct fw_rule *rules, int count, const struct fw_traffic *t)
{
    for (int i = 0; i < count; i++)
        if (rule_matches(&rules[i], t))
            return i;
    return -1;
}
