/* SPDX-License-Identifier: MIT */
/* The bench's filter (bench/run.sh, side `filtered`): every call of the
 * filter API present, each allowing and keeping nothing, so that the side
 * measures what lspkit.dll's asking costs - the 2% budget of
 * docs/performance.md - and nothing of a filter's own work. */
#include <lspkit/filter.h>

static void socket_event(struct lspkit_socket *s)
{
    (void)s;
}

static enum lspkit_verdict on_connect(struct lspkit_socket *s, struct lspkit_connect *c)
{
    (void)s, (void)c;
    return LSPKIT_ALLOW;
}

static void on_accepted(struct lspkit_socket *l, struct lspkit_socket *s,
                        const struct sockaddr *peer, int peer_len)
{
    (void)l, (void)s, (void)peer, (void)peer_len;
}

static enum lspkit_verdict on_send(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    (void)s, (void)t;
    return LSPKIT_ALLOW;
}

static void transferred(struct lspkit_socket *s, enum lspkit_direction direction,
                        const struct lspkit_transfer *t)
{
    (void)s, (void)direction, (void)t;
}

static const struct lspkit_filter allow = {
    .api_version = LSPKIT_FILTER_API_VERSION,
    .name = "allow",
    .socket_created = socket_event,
    .socket_closed = socket_event,
    .connect = on_connect,
    .accepted = on_accepted,
    .send = on_send,
    .transferred = transferred,
};

__declspec(dllexport) const struct lspkit_filter *WINAPI lspkit_filter_open(
    const struct lspkit_host *host, HKEY settings)
{
    (void)host, (void)settings;
    return &allow;
}
