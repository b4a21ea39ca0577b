/* SPDX-License-Identifier: MIT */
/* Unit tests of filters/socks5/: each message's bytes (RFC 1928, RFC
 * 1929), each reply read whole, the UDP datagram header, and the
 * handshake against recorded server bytes replayed by a fake struct
 * lspkit_stream. */
#include <check.h>
#include "run_suite.h"
#include <string.h>
#include "../socks5/handshake.h"
#include "../socks5/socks5_proto.h"

#define ck_assert_bytes(got, got_len, expected) \
    do { \
        ck_assert_int_eq((got_len), (int)sizeof(expected)); \
        ck_assert_mem_eq((got), (expected), sizeof(expected)); \
    } while (0)

static struct sockaddr_in ipv4(const char *text, unsigned short port)
{
    struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(port) };

    ck_assert_int_eq(inet_pton(AF_INET, text, &in.sin_addr), 1);
    return in;
}

static struct sockaddr_in6 ipv6(const char *text, unsigned short port)
{
    struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

    ck_assert_int_eq(inet_pton(AF_INET6, text, &in6.sin6_addr), 1);
    return in6;
}

START_TEST(test_greeting)
{
    static const unsigned char none[] = { 5, 1, 0 }, both[] = { 5, 2, 0, 2 };
    unsigned char out[SOCKS5_GREETING_MAX];
    int len;

    len = socks5_greeting(FALSE, out);
    ck_assert_bytes(out, len, none);
    len = socks5_greeting(TRUE, out);
    ck_assert_bytes(out, len, both);
}
END_TEST

START_TEST(test_method_choice)
{
    int method;

    ck_assert_int_eq(socks5_method_parse((const unsigned char[]){ 5, 0 }, FALSE, &method), 0);
    ck_assert_int_eq(method, SOCKS5_METHOD_NONE);
    ck_assert_int_eq(socks5_method_parse((const unsigned char[]){ 5, 2 }, TRUE, &method), 0);
    ck_assert_int_eq(method, SOCKS5_METHOD_USERPASS);
    ck_assert_int_eq(socks5_method_parse((const unsigned char[]){ 5, 2 }, FALSE, &method),
                     SOCKS5_PROTOCOL_ERROR);
    ck_assert_int_eq(socks5_method_parse((const unsigned char[]){ 5, 1 }, TRUE, &method),
                     SOCKS5_PROTOCOL_ERROR);
    ck_assert_int_eq(socks5_method_parse((const unsigned char[]){ 5, 0xff }, TRUE, &method),
                     WSAECONNREFUSED);
    ck_assert_int_eq(socks5_method_parse((const unsigned char[]){ 4, 0 }, TRUE, &method),
                     SOCKS5_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_auth_request)
{
    static const unsigned char expected[] = { 1, 4, 'u', 's', 'e', 'r', 6, 's', 'e', 'c', ' ', ';', 't' };
    unsigned char out[SOCKS5_AUTH_REQUEST_MAX];
    char longest[256], too_long[257];
    int len = socks5_auth_request("user", "sec ;t", out);

    ck_assert_bytes(out, len, expected);
    memset(longest, 'a', 255);
    longest[255] = '\0';
    memset(too_long, 'a', 256);
    too_long[256] = '\0';
    ck_assert_int_eq(socks5_auth_request(longest, longest, out), 3 + 255 + 255);
    ck_assert_int_eq(socks5_auth_request(too_long, "p", out), 0);
    ck_assert_int_eq(socks5_auth_request("u", too_long, out), 0);
    ck_assert_int_eq(socks5_auth_request("", "p", out), 0);
    ck_assert_int_eq(socks5_auth_request("u", "", out), 0);
}
END_TEST

START_TEST(test_auth_reply)
{
    ck_assert_int_eq(socks5_auth_reply_parse((const unsigned char[]){ 1, 0 }), 0);
    ck_assert_int_eq(socks5_auth_reply_parse((const unsigned char[]){ 1, 1 }), WSAEACCES);
    ck_assert_int_eq(socks5_auth_reply_parse((const unsigned char[]){ 1, 0xff }), WSAEACCES);
    ck_assert_int_eq(socks5_auth_reply_parse((const unsigned char[]){ 5, 0 }), SOCKS5_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_connect_request_ipv4)
{
    static const unsigned char expected[] = { 5, 1, 0, 1, 192, 0, 2, 1, 0, 80 };
    struct sockaddr_in to = ipv4("192.0.2.1", 80);
    unsigned char out[SOCKS5_REQUEST_MAX];
    int len = socks5_request(SOCKS5_COMMAND_CONNECT, (struct sockaddr *)&to, sizeof(to), out);

    ck_assert_bytes(out, len, expected);
}
END_TEST

START_TEST(test_connect_request_ipv6)
{
    static const unsigned char expected[] = {
        5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0xbb,
    };
    struct sockaddr_in6 to = ipv6("2001:db8::1", 443);
    unsigned char out[SOCKS5_REQUEST_MAX];
    int len = socks5_request(SOCKS5_COMMAND_CONNECT, (struct sockaddr *)&to, sizeof(to), out);

    ck_assert_bytes(out, len, expected);
}
END_TEST

/* An IPv6 socket's destination ::ffff:192.0.2.1 goes as IPv4. */
START_TEST(test_connect_request_v4_mapped)
{
    static const unsigned char expected[] = { 5, 1, 0, 1, 192, 0, 2, 1, 0x1f, 0x90 };
    struct sockaddr_in6 to = ipv6("::ffff:192.0.2.1", 8080);
    struct sockaddr other = { .sa_family = AF_UNIX };
    unsigned char out[SOCKS5_REQUEST_MAX];
    int len = socks5_request(SOCKS5_COMMAND_CONNECT, (struct sockaddr *)&to, sizeof(to), out);

    ck_assert_bytes(out, len, expected);
    ck_assert_int_eq(socks5_request(SOCKS5_COMMAND_CONNECT, &other, sizeof(other), out), 0);
    ck_assert_int_eq(socks5_request(SOCKS5_COMMAND_CONNECT, (struct sockaddr *)&to, sizeof(to) - 1, out), 0);
}
END_TEST

START_TEST(test_reply_length_for_each_address_type)
{
    unsigned char v4[] = { 5, 0, 0, 1 }, v6[] = { 5, 0, 0, 4 }, domain[] = { 5, 0, 0, 3, 11 };
    unsigned char empty_domain[] = { 5, 0, 0, 3, 0 };

    ck_assert_int_eq(socks5_reply_length(v4, 4), 4 + 4 + 2);
    ck_assert_int_eq(socks5_reply_length(v6, 4), 4 + 16 + 2);
    ck_assert_int_eq(socks5_reply_length(domain, 4), 0);
    ck_assert_int_eq(socks5_reply_length(domain, 5), 4 + 1 + 11 + 2);
    ck_assert_int_eq(socks5_reply_length(empty_domain, 5), 4 + 1 + 2);
}
END_TEST

START_TEST(test_reply_that_is_not_socks5)
{
    unsigned char version4[] = { 4, 0, 0, 1 }, no_such_type[] = { 5, 0, 0, 2 };

    ck_assert_int_eq(socks5_reply_length(version4, 4), -1);
    ck_assert_int_eq(socks5_reply_length(no_such_type, 4), -1);
}
END_TEST

START_TEST(test_rep_codes)
{
    static const int expected[] = {
        0, WSAECONNABORTED, WSAEACCES, WSAENETUNREACH, WSAEHOSTUNREACH,
        WSAECONNREFUSED, WSAETIMEDOUT, WSAECONNABORTED, WSAECONNABORTED, WSAECONNABORTED,
    };

    for (int rep = 0; rep < (int)(sizeof(expected) / sizeof(expected[0])); rep++)
        ck_assert_int_eq(socks5_reply_error((unsigned char)rep), expected[rep]);
    ck_assert_int_eq(socks5_reply_error(0xff), WSAECONNABORTED);
}
END_TEST

/* A server that says what was recorded, whatever it is sent; it closes
 * when the recording ends. What it is sent is kept. */
struct fake_server {
    struct lspkit_stream stream;      /* first: the calls get it back as the server */
    const unsigned char *says;
    int says_len, said;
    unsigned char heard[1024];
    int heard_len;
};

static int fake_send(struct lspkit_stream *stream, const void *buf, int len)
{
    struct fake_server *server = (struct fake_server *)stream;

    ck_assert_int_le(server->heard_len + len, (int)sizeof(server->heard));
    memcpy(server->heard + server->heard_len, buf, len);
    server->heard_len += len;
    return 0;
}

/* Exactly `len` bytes, or WSAECONNRESET as lspkit's stream gives when the
 * peer closes first. */
static int fake_recv(struct lspkit_stream *stream, void *buf, int len)
{
    struct fake_server *server = (struct fake_server *)stream;

    if (server->said + len > server->says_len) {
        server->said = server->says_len;
        return WSAECONNRESET;
    }
    memcpy(buf, server->says + server->said, len);
    server->said += len;
    return 0;
}

static void fake_server_init(struct fake_server *server, const unsigned char *says, int says_len)
{
    memset(server, 0, sizeof(*server));
    server->stream.send = fake_send;
    server->stream.recv = fake_recv;
    server->says = says;
    server->says_len = says_len;
}

/* The handshake of `credentials` to `to`, against a server that says
 * `says`. */
static int replay(struct fake_server *server, const unsigned char *says, int says_len,
                  const struct socks5_credentials *credentials, const void *to, int to_len,
                  enum socks5_step *step)
{
    const struct socks5_request connect = { SOCKS5_COMMAND_CONNECT, to, to_len };

    fake_server_init(server, says, says_len);
    return socks5_handshake(credentials, &connect, &server->stream, step, NULL);
}

static const struct socks5_credentials anonymous = { NULL, NULL };
static const struct socks5_credentials alice = { "alice", "pw" };

START_TEST(test_handshake_without_authentication)
{
    static const unsigned char says[] = { 5, 0, 5, 0, 0, 1, 10, 0, 0, 1, 0x04, 0x38 };
    static const unsigned char heard[] = { 5, 1, 0, 5, 1, 0, 1, 192, 0, 2, 1, 0, 80 };
    struct sockaddr_in to = ipv4("192.0.2.1", 80);
    struct fake_server server;
    enum socks5_step step;

    ck_assert_int_eq(replay(&server, says, sizeof(says), &anonymous, &to, sizeof(to), &step),
                     0);
    ck_assert_int_eq(step, SOCKS5_DONE);
    ck_assert_bytes(server.heard, server.heard_len, heard);
    ck_assert_int_eq(server.said, sizeof(says));
}
END_TEST

/* Username/password, an IPv6 destination, and a reply whose BND.ADDR is a
 * domain name: every byte of it read, none left for the application. */
START_TEST(test_handshake_with_authentication)
{
    static const unsigned char says[] = {
        5, 2,                                            /* username/password */
        1, 0,                                            /* accepted */
        5, 0, 0, 3, 5, 'p', 'r', 'o', 'x', 'y', 0x1f, 0x90,
    };
    static const unsigned char heard[] = {
        5, 2, 0, 2,
        1, 5, 'a', 'l', 'i', 'c', 'e', 2, 'p', 'w',
        5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 22,
    };
    struct sockaddr_in6 to = ipv6("2001:db8::7", 22);
    struct fake_server server;
    enum socks5_step step;

    ck_assert_int_eq(replay(&server, says, sizeof(says), &alice, &to, sizeof(to), &step),
                     0);
    ck_assert_int_eq(step, SOCKS5_DONE);
    ck_assert_bytes(server.heard, server.heard_len, heard);
    ck_assert_int_eq(server.said, sizeof(says));
}
END_TEST

START_TEST(test_handshake_ipv6_bound_address)
{
    static const unsigned char says[] = {
        5, 0, 5, 0, 0, 4, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1,
    };
    struct sockaddr_in to = ipv4("192.0.2.1", 80);
    struct fake_server server;
    enum socks5_step step;

    ck_assert_int_eq(replay(&server, says, sizeof(says), &anonymous, &to, sizeof(to), &step),
                     0);
    ck_assert_int_eq(server.said, sizeof(says));
}
END_TEST

START_TEST(test_handshake_auth_refused)
{
    static const unsigned char says[] = { 5, 2, 1, 1 };
    struct sockaddr_in to = ipv4("192.0.2.1", 80);
    struct fake_server server;
    enum socks5_step step;

    ck_assert_int_eq(replay(&server, says, sizeof(says), &alice, &to, sizeof(to), &step),
                     WSAEACCES);
    ck_assert_int_eq(step, SOCKS5_AUTH);
    /* Greeting and credentials went; no CONNECT after the refusal. */
    ck_assert_int_eq(server.heard_len, 4 + 3 + 5 + 2);
}
END_TEST

START_TEST(test_handshake_no_acceptable_method)
{
    static const unsigned char says[] = { 5, 0xff };
    struct sockaddr_in to = ipv4("192.0.2.1", 80);
    struct fake_server server;
    enum socks5_step step;

    ck_assert_int_eq(replay(&server, says, sizeof(says), &anonymous, &to, sizeof(to), &step),
                     WSAECONNREFUSED);
    ck_assert_int_eq(step, SOCKS5_METHOD);
}
END_TEST

START_TEST(test_handshake_connect_refused_by_server)
{
    static const unsigned char says[] = { 5, 0, 5, 5, 0, 1, 0, 0, 0, 0, 0, 0 };
    struct sockaddr_in to = ipv4("192.0.2.1", 80);
    struct fake_server server;
    enum socks5_step step;

    ck_assert_int_eq(replay(&server, says, sizeof(says), &anonymous, &to, sizeof(to), &step),
                     WSAECONNREFUSED);
    ck_assert_int_eq(step, SOCKS5_REQUEST);
}
END_TEST

/* The server closes at each point of the exchange in turn: in the method
 * choice, in the reply's head, in a domain name, in the port. */
START_TEST(test_handshake_server_closes_early)
{
    static const unsigned char says[] = { 5, 0, 5, 0, 0, 3, 4, 'h', 'o', 's', 't', 0, 80 };
    static const int cut_at[] = { 0, 1, 3, 5, 6, 9, 12 };
    struct sockaddr_in to = ipv4("192.0.2.1", 80);
    struct fake_server server;
    enum socks5_step step;

    for (size_t i = 0; i < sizeof(cut_at) / sizeof(cut_at[0]); i++) {
        ck_assert_int_eq(replay(&server, says, cut_at[i], &anonymous, &to, sizeof(to), &step),
                         WSAECONNRESET);
    }
    ck_assert_int_eq(replay(&server, says, sizeof(says), &anonymous, &to, sizeof(to), &step),
                     0);
}
END_TEST

START_TEST(test_handshake_reply_not_socks5)
{
    static const unsigned char says[] = { 5, 0, 5, 0, 0, 9, 0, 0, 0, 0, 0, 0 };
    struct sockaddr_in to = ipv4("192.0.2.1", 80);
    struct fake_server server;
    enum socks5_step step;

    ck_assert_int_eq(replay(&server, says, sizeof(says), &anonymous, &to, sizeof(to), &step),
                     SOCKS5_PROTOCOL_ERROR);
    ck_assert_int_eq(step, SOCKS5_REQUEST);
}
END_TEST

/* RFC 1928 section 7's header, for each address type a socket gives. */
START_TEST(test_udp_header)
{
    static const unsigned char v4[] = { 0, 0, 0, 1, 192, 0, 2, 1, 0, 53 };
    static const unsigned char v6[] = {
        0, 0, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0xbb,
    };
    struct sockaddr_in to4 = ipv4("192.0.2.1", 53);
    struct sockaddr_in6 to6 = ipv6("2001:db8::1", 443), mapped = ipv6("::ffff:192.0.2.1", 53);
    struct sockaddr other = { .sa_family = AF_UNIX };
    unsigned char out[SOCKS5_UDP_HEADER_MAX];
    int len;

    len = socks5_udp_header((struct sockaddr *)&to4, sizeof(to4), out);
    ck_assert_bytes(out, len, v4);
    len = socks5_udp_header((struct sockaddr *)&to6, sizeof(to6), out);
    ck_assert_bytes(out, len, v6);
    len = socks5_udp_header((struct sockaddr *)&mapped, sizeof(mapped), out);
    ck_assert_bytes(out, len, v4);
    ck_assert_int_eq(socks5_udp_header(&other, sizeof(other), out), 0);
}
END_TEST

/* A relayed datagram's header: its length and source; what a client
 * that does not reassemble cannot take is refused. */
START_TEST(test_udp_parse)
{
    static const unsigned char v4[] = { 0, 0, 0, 1, 192, 0, 2, 1, 0, 53, 'h', 'i' };
    static const unsigned char v6[] = {
        0, 0, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0x01, 0xbb,
    };
    static const unsigned char fragment[] = { 0, 0, 1, 1, 192, 0, 2, 1, 0, 53, 'h' };
    static const unsigned char domain[] = { 0, 0, 0, 3, 1, 'x', 0, 53, 'h' };
    static const unsigned char cut[] = { 0, 0, 0, 1, 192, 0, 2 };
    struct net_address from;
    unsigned short port;

    ck_assert_int_eq(socks5_udp_parse(v4, sizeof(v4), &from, &port), 10);
    ck_assert_int_eq(from.family, AF_INET);
    ck_assert_mem_eq(from.bytes, ((const unsigned char[]){ 192, 0, 2, 1 }), 4);
    ck_assert_int_eq(port, 53);
    ck_assert_int_eq(socks5_udp_parse(v6, sizeof(v6), &from, &port), 22);
    ck_assert_int_eq(from.family, AF_INET6);
    ck_assert_int_eq(from.bytes[15], 9);
    ck_assert_int_eq(port, 443);
    ck_assert_int_eq(socks5_udp_parse(fragment, sizeof(fragment), &from, &port), -1);
    ck_assert_int_eq(socks5_udp_parse(domain, sizeof(domain), &from, &port), -1);
    ck_assert_int_eq(socks5_udp_parse(cut, sizeof(cut), &from, &port), -1);
    ck_assert_int_eq(socks5_udp_parse(cut, 2, &from, &port), -1);
}
END_TEST

/* UDP ASSOCIATE, as Dante answers it: the request names 0.0.0.0:0, and
 * the reply's BND.ADDR and BND.PORT are the relay. A relay named by
 * domain cannot be used. */
START_TEST(test_handshake_udp_associate)
{
    static const unsigned char says[] = { 5, 0, 5, 0, 0, 1, 127, 0, 0, 1, 0xc3, 0x50 };
    static const unsigned char heard[] = { 5, 1, 0, 5, 3, 0, 1, 0, 0, 0, 0, 0, 0 };
    static const unsigned char by_name[] = { 5, 0, 5, 0, 0, 3, 1, 'r', 0x04, 0x38 };
    struct sockaddr_in anywhere = { .sin_family = AF_INET };
    const struct socks5_request associate = { SOCKS5_COMMAND_UDP_ASSOCIATE,
                                              (struct sockaddr *)&anywhere, sizeof(anywhere) };
    struct fake_server server;
    struct socks5_bound relay;
    enum socks5_step step;

    fake_server_init(&server, says, sizeof(says));
    ck_assert_int_eq(socks5_handshake(&anonymous, &associate, &server.stream, &step, &relay), 0);
    ck_assert_bytes(server.heard, server.heard_len, heard);
    ck_assert_int_eq(relay.address.family, AF_INET);
    ck_assert_mem_eq(relay.address.bytes, ((const unsigned char[]){ 127, 0, 0, 1 }), 4);
    ck_assert_int_eq(relay.port, 50000);
    fake_server_init(&server, by_name, sizeof(by_name));
    ck_assert_int_eq(socks5_handshake(&anonymous, &associate, &server.stream, &step, &relay),
                     SOCKS5_PROTOCOL_ERROR);
    ck_assert_int_eq(step, SOCKS5_REQUEST);
}
END_TEST

/* The relay's address in a socket's family: IPv4-mapped for an IPv6
 * socket, none for an IPv4 socket and an IPv6 address. */
START_TEST(test_sockaddr_in_socket_family)
{
    struct net_address v4 = { AF_INET, { 127, 0, 0, 1 } }, v6 = { AF_INET6, { 0x20, 1 } };
    struct sockaddr_storage ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    int len;

    ck_assert(net_sockaddr_make(&v4, 1080, AF_INET, &ss, &len));
    ck_assert_int_eq(len, sizeof(struct sockaddr_in));
    ck_assert_int_eq(ntohs(((struct sockaddr_in *)&ss)->sin_port), 1080);
    ck_assert(net_sockaddr_make(&v4, 1080, AF_INET6, &ss, &len));
    ck_assert_int_eq(len, sizeof(*in6));
    ck_assert(IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr));
    ck_assert_int_eq(in6->sin6_addr.s6_addr[15], 1);
    ck_assert(!net_sockaddr_make(&v6, 1080, AF_INET, &ss, &len));
    ck_assert(net_sockaddr_make(&v6, 1080, AF_INET6, &ss, &len));
    ck_assert_int_eq(in6->sin6_addr.s6_addr[1], 1);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("filters_socks5");
    TCase *messages = tcase_create("messages");
    TCase *handshake = tcase_create("handshake");

    tcase_add_test(messages, test_greeting);
    tcase_add_test(messages, test_method_choice);
    tcase_add_test(messages, test_auth_request);
    tcase_add_test(messages, test_auth_reply);
    tcase_add_test(messages, test_connect_request_ipv4);
    tcase_add_test(messages, test_connect_request_ipv6);
    tcase_add_test(messages, test_connect_request_v4_mapped);
    tcase_add_test(messages, test_reply_length_for_each_address_type);
    tcase_add_test(messages, test_reply_that_is_not_socks5);
    tcase_add_test(messages, test_rep_codes);
    tcase_add_test(messages, test_udp_header);
    tcase_add_test(messages, test_udp_parse);
    tcase_add_test(messages, test_sockaddr_in_socket_family);
    tcase_add_test(handshake, test_handshake_without_authentication);
    tcase_add_test(handshake, test_handshake_with_authentication);
    tcase_add_test(handshake, test_handshake_ipv6_bound_address);
    tcase_add_test(handshake, test_handshake_auth_refused);
    tcase_add_test(handshake, test_handshake_no_acceptable_method);
    tcase_add_test(handshake, test_handshake_connect_refused_by_server);
    tcase_add_test(handshake, test_handshake_server_closes_early);
    tcase_add_test(handshake, test_handshake_reply_not_socks5);
    tcase_add_test(handshake, test_handshake_udp_associate);
    suite_add_tcase(suite, messages);
    suite_add_tcase(suite, handshake);
    return run_suite(suite);
}
