/* SPDX-License-Identifier: MIT */
/* handshake.c: see handshake.h. */
#include "handshake.h"
#include "socks5_proto.h"

static int choose_method(const struct socks5_credentials *credentials,
                         struct lspkit_stream *stream, int *method)
{
    unsigned char greeting[SOCKS5_GREETING_MAX], reply[2];
    BOOL offer_userpass = credentials->user != NULL;
    int error = stream->send(stream, greeting, socks5_greeting(offer_userpass, greeting));

    if (!error)
        error = stream->recv(stream, reply, sizeof(reply));
    return error ? error : socks5_method_parse(reply, offer_userpass, method);
}

static int authenticate(const struct socks5_credentials *credentials, struct lspkit_stream *stream)
{
    unsigned char request[SOCKS5_AUTH_REQUEST_MAX], reply[2];
    int len = socks5_auth_request(credentials->user, credentials->password, request);
    int error = len ? stream->send(stream, request, len) : WSAEINVAL;

    if (!error)
        error = stream->recv(stream, reply, sizeof(reply));
    return error ? error : socks5_auth_reply_parse(reply);
}

/* The whole reply, whatever its BND.ADDR, so that the application's first
 * byte is the destination's, not the rest of the reply. */
static int read_reply(struct lspkit_stream *stream, unsigned char reply[SOCKS5_REPLY_MAX],
                      int *length_out)
{
    int have = SOCKS5_REPLY_HEAD, length;
    int error = stream->recv(stream, reply, have);

    if (error)
        return error;
    length = socks5_reply_length(reply, have);
    if (length == 0) {          /* a domain name: its length byte first */
        error = stream->recv(stream, reply + have, 1);
        if (error)
            return error;
        length = socks5_reply_length(reply, ++have);
    }
    if (length < 0)
        return SOCKS5_PROTOCOL_ERROR;
    *length_out = length;
    return stream->recv(stream, reply + have, length - have);
}

/* The request and its reply: 0 with the reply's BND.ADDR and BND.PORT in
 * `bound` (when asked for), or the error. */
static int request(const struct socks5_request *r, struct lspkit_stream *stream,
                   struct socks5_bound *bound)
{
    unsigned char message[SOCKS5_REQUEST_MAX], reply[SOCKS5_REPLY_MAX];
    int len = socks5_request(r->command, r->to, r->to_len, message), reply_len;
    int error = len ? stream->send(stream, message, len) : WSAEAFNOSUPPORT;

    if (!error)
        error = read_reply(stream, reply, &reply_len);
    if (!error)
        error = socks5_reply_error(reply[1]);
    if (!error && bound && !socks5_reply_bound(reply, reply_len, &bound->address, &bound->port))
        error = SOCKS5_PROTOCOL_ERROR;
    return error;
}

int socks5_handshake(const struct socks5_credentials *credentials,
                     const struct socks5_request *r, struct lspkit_stream *stream,
                     enum socks5_step *step, struct socks5_bound *bound)
{
    int method, error;

    *step = SOCKS5_METHOD;
    error = choose_method(credentials, stream, &method);
    if (!error && method == SOCKS5_METHOD_USERPASS) {
        *step = SOCKS5_AUTH;
        error = authenticate(credentials, stream);
    }
    if (error)
        return error;
    *step = SOCKS5_REQUEST;
    error = request(r, stream, bound);
    if (!error)
        *step = SOCKS5_DONE;
    return error;
}
