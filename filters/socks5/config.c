/* SPDX-License-Identifier: MIT */
/* config.c: see config.h. */
#include "config.h"
#include "socks5_proto.h"
#include <stdlib.h>
#include <string.h>

static BOOL read_server(const struct settings *s, struct socks5_config *config)
{
    char *text;
    enum setting_found found = settings_text(s, L"Server", &text);
    BOOL ok = found == SETTING_READ && net_endpoint_parse(text, &config->server, &config->server_len);

    if (found == SETTING_ABSENT)
        s->host->log(s->filter, "setting Server: missing (ADDRESS:PORT or [IPV6]:PORT)");
    else if (found == SETTING_READ && !ok)
        s->host->log(s->filter, "setting Server: '%s' is not ADDRESS:PORT or [IPV6]:PORT, numeric", text);
    if (ok)
        net_address_of((const struct sockaddr *)&config->server, config->server_len,
                       &config->server_address, &config->server_port);
    free(text);
    return ok;
}

/* User or Password: absent, or 1 to 255 bytes of UTF-8 (RFC 1929). */
static BOOL read_credential(const struct settings *s, const WCHAR *name, char **text)
{
    enum setting_found found = settings_text(s, name, text);

    if (found == SETTING_READ && strlen(*text) > SOCKS5_CREDENTIAL_MAX) {
        s->host->log(s->filter, "setting %ls: longer than %d bytes", name, SOCKS5_CREDENTIAL_MAX);
        return FALSE;
    }
    return found != SETTING_BAD;
}

static BOOL read_credentials(const struct settings *s, struct socks5_config *config)
{
    BOOL user_ok = read_credential(s, L"User", &config->user);
    BOOL password_ok = read_credential(s, L"Password", &config->password);

    if (user_ok && password_ok && !config->user != !config->password) {
        s->host->log(s->filter, "settings User and Password: one without the other");
        return FALSE;
    }
    return user_ok && password_ok;
}

static BOOL read_bypass(const struct settings *s, struct socks5_config *config)
{
    char *items;
    enum setting_found found = settings_list(s, L"Bypass", &items);
    BOOL ok = found != SETTING_BAD;
    int count;

    if (found != SETTING_READ)
        return ok;
    count = settings_count(items);
    config->bypass = calloc(count + 1, sizeof(*config->bypass));
    ok = config->bypass != NULL;
    if (!ok)
        s->host->log(s->filter, "setting Bypass: out of memory");
    for (const char *item = items; ok && *item; item = settings_next(item)) {
        if (net_prefix_parse(item, &config->bypass[config->bypass_count]))
            config->bypass_count++;
        else
            s->host->log(s->filter, "setting Bypass: '%s' is not ADDRESS[/PREFIX]", item);
    }
    ok = ok && config->bypass_count == count;
    free(items);
    return ok;
}

BOOL config_read(const struct settings *s, struct socks5_config *config)
{
    /* Each read, so that one look at the log shows every problem. */
    BOOL server_ok = read_server(s, config);
    BOOL credentials_ok = read_credentials(s, config);
    BOOL bypass_ok = read_bypass(s, config);

    return server_ok && credentials_ok && bypass_ok;
}

void config_free(struct socks5_config *config)
{
    free(config->user);
    free(config->password);
    free(config->bypass);
    memset(config, 0, sizeof(*config));
}

BOOL config_bypasses(const struct socks5_config *config, const struct net_address *to,
                     unsigned short port)
{
    /* The server itself is reached directly, or nothing ever would be. */
    if (port == config->server_port
        && to->family == config->server_address.family
        && !memcmp(to->bytes, config->server_address.bytes, sizeof(to->bytes)))
        return TRUE;
    for (int i = 0; i < config->bypass_count; i++)
        if (net_prefix_contains(&config->bypass[i], to))
            return TRUE;
    return FALSE;
}
