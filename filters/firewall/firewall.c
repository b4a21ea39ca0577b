/* SPDX-License-Identifier: MIT */
/* firewall: allows or denies this process's connections and datagrams by
 * rules, first match wins (rules.h has their form). Settings, in the
 * filter's subkey:
 *   Rules     REG_MULTI_SZ, one rule an item (or REG_SZ, rules separated
 *             by ';'); none: Default decides everything
 *   Default   "allow" (when absent) or "deny": what no rule matches gets
 * A setting it cannot read keeps the filter from opening, each problem
 * logged: a firewall that skipped a rule it did not understand would allow
 * what the rule denies. */
#include "firewall.h"
#include "sockstate.h"
#include "../shared/settings.h"
#include <stdlib.h>
#include <string.h>

struct firewall firewall;

/* The Default setting into firewall.fallback. */
static BOOL read_default(const struct settings *s)
{
    char *text;
    enum setting_found found = settings_text(s, L"Default", &text);
    BOOL ok = found == SETTING_ABSENT || (found == SETTING_READ && fw_action_parse(text, &firewall.fallback));

    if (found == SETTING_READ && !ok)
        s->host->log(s->filter, "setting Default: '%s' is neither allow nor deny", text);
    free(text);
    return ok;
}

/* The Rules setting into firewall.rules, every bad rule logged. */
static BOOL read_rules(const struct settings *s)
{
    char *items, why[128];
    enum setting_found found = settings_list(s, L"Rules", &items);
    BOOL ok = found != SETTING_BAD;
    int n = 0;

    if (found != SETTING_READ)
        return ok;
    firewall.rules = calloc(settings_count(items) + 1, sizeof(*firewall.rules));
    if (!firewall.rules) {
        s->host->log(s->filter, "setting Rules: out of memory");
        free(items);
        return FALSE;
    }
    for (const char *item = items; *item; item = settings_next(item), n++) {
        if (!fw_rule_parse(item, &firewall.rules[n], why, sizeof(why))) {
            s->host->log(s->filter, "setting Rules: rule %d, '%s': %s", n + 1, item, why);
            ok = FALSE;
        }
    }
    firewall.rule_count = n;
    free(items);
    return ok;
}

/* GetModuleFileNameW(NULL)'s last component, in UTF-8: what process=
 * names. Empty when it cannot be had, so that only process-less rules
 * match. */
static void read_image_name(char *out, int out_len)
{
    static WCHAR path[32768];   /* the longest path there is; open runs once */
    DWORD len = GetModuleFileNameW(NULL, path, ARRAYSIZE(path));
    const WCHAR *name = path;

    out[0] = '\0';
    if (len == 0 || len >= ARRAYSIZE(path))
        return;
    for (const WCHAR *c = path; *c; c++)
        if (*c == L'\\' || *c == L'/')
            name = c + 1;
    if (!WideCharToMultiByte(CP_UTF8, 0, name, -1, out, out_len, NULL, NULL))
        out[0] = '\0';
}

static void forget_rules(void)
{
    free(firewall.rules);
    firewall.rules = NULL;
    firewall.rule_count = 0;
}

static const struct lspkit_filter table = {
    .api_version = LSPKIT_FILTER_API_VERSION,
    .name = "firewall",
    .socket_created = firewall_socket_created,
    .socket_closed = firewall_socket_closed,
    .connect = firewall_connect,
    .accepted = firewall_accepted,
    .send = firewall_send,
    .transferred = firewall_transferred,
};

const struct lspkit_filter *WINAPI lspkit_filter_open(const struct lspkit_host *host, HKEY key)
{
    const struct settings s = { key, host, "firewall" };
    BOOL default_ok, rules_ok;

    forget_rules();
    firewall.host = host;
    firewall.fallback = FW_ALLOW;
    /* Both read, so that one look at the log shows every problem. */
    default_ok = read_default(&s);
    rules_ok = read_rules(&s);
    if (!default_ok || !rules_ok) {
        host->log("firewall", "not started: its settings are wrong");
        forget_rules();
        return NULL;
    }
    read_image_name(firewall.process, sizeof(firewall.process));
    return &table;
}
