/* SPDX-License-Identifier: MIT */
/* interop.c: lspkit.dll with an LSP written the way Microsoft's sample
 * teaches (test/sample_lsp), installed the way the sample's installer
 * does it on Vista and later: WSCInstallProviderAndChains, then removal
 * of each chain by its GUID and of the hidden entry by the LSP's. Run in
 * the layered arrangement, where lspinst has installed lspkit over the
 * base entries. Three chains, one test case each:
 *   above    sample A, lspkit, base
 *   below    lspkit, sample B, base
 *   between  sample A, lspkit, sample B, base
 * In each, TCP and UDP over IPv4 and IPv6 carry checked data; every
 * provider in the chain sees the sends, WSASendMsg (SIO_EXT_SENDMSG) and
 * WSAPoll (SIO_EXT_POLL); and removing the samples leaves the catalog
 * exactly as it was. */
#include <check.h>
#include <winsock2.h>
#include <ws2spi.h>
#include <mswsock.h>
#include <stdlib.h>
#include <string.h>

#include "loopback_util.h"
#include "layered_install.h"
#include "layered_counts.h"
#include "sample_lsp/sample_lsp.h"

static const GUID guid_a = SAMPLE_LSP_GUID_A;
static const GUID guid_b = SAMPLE_LSP_GUID_B;
/* The second install of lspkit.dll, between or above the samples. */
static const GUID lspkit_layered = { 0x5a3b1e01, 0x6c6b, 0x4a11, { 0x9e, 0x51, 1, 2, 3, 4, 5, 1 } };
static const GUID lspkit_chain = { 0x5a3b1e01, 0x6c6b, 0x4a11, { 0x9e, 0x51, 1, 2, 3, 4, 5, 2 } };

/* What a case installed: hidden entry ids, 0 for absent. */
static struct {
    DWORD a, b;
    struct layered_install lspkit;    /* layered_id 0: lspinst's install only */
    WSAPROTOCOL_INFOW *before[2];   /* native, 32-bit */
    int before_count[2];
} setup;

typedef int (WSPAPI *enum_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSPAPI *deinstall_fn)(LPGUID, LPINT);

/* One catalog: the native one, or the 32-bit one. */
struct view {
    enum_fn enumerate;
    deinstall_fn deinstall;
};

static const struct view native = { WSCEnumProtocols, WSCDeinstallProvider };
static const struct view wow = { WSCEnumProtocols32, WSCDeinstallProvider32 };

static WSAPROTOCOL_INFOW *catalog_of(const struct view *view, int *count)
{
    WSAPROTOCOL_INFOW *list;
    DWORD size = 0;
    int error;

    ck_assert_int_eq(view->enumerate(NULL, NULL, &size, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAENOBUFS);
    list = malloc(size);
    ck_assert_ptr_nonnull(list);
    *count = view->enumerate(NULL, list, &size, &error);
    ck_assert_msg(*count != SOCKET_ERROR, "WSCEnumProtocols: %d", error);
    return list;
}

static WSAPROTOCOL_INFOW *catalog(int *count)
{
    return catalog_of(&native, count);
}

/* The sample DLL beside this program, as its installer is given it. */
static void sample_path(const WCHAR *dll, WCHAR *path)
{
    WCHAR *slash;

    ck_assert_uint_ne(GetModuleFileNameW(NULL, path, MAX_PATH), 0);
    slash = wcsrchr(path, L'\\');
    ck_assert_ptr_nonnull(slash);
    wcscpy(slash + 1, dll);
    ck_assert_msg(GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES, "no %ls", path);
}

/* As the sample's installer: over the top-most TCP and UDP entries of
 * both families, or (over_base) over every base protocol. */
static DWORD install_sample(const GUID *guid, const WCHAR *dll, const WCHAR *name, BOOL over_base)
{
    /* Only family, type and protocol count in the list. */
    WSAPROTOCOL_INFOW want[4] = {
        { .iAddressFamily = AF_INET, .iSocketType = SOCK_STREAM, .iProtocol = IPPROTO_TCP },
        { .iAddressFamily = AF_INET, .iSocketType = SOCK_DGRAM, .iProtocol = IPPROTO_UDP },
        { .iAddressFamily = AF_INET6, .iSocketType = SOCK_STREAM, .iProtocol = IPPROTO_TCP },
        { .iAddressFamily = AF_INET6, .iSocketType = SOCK_DGRAM, .iProtocol = IPPROTO_UDP },
    };
    WCHAR path[MAX_PATH];
    DWORD hidden = 0;
    int error = 0, rc;

    sample_path(dll, path);
    rc = WSCInstallProviderAndChains64_32((LPGUID)guid, path, path, (LPWSTR)name,
                                          XP1_IFS_HANDLES, over_base ? NULL : want,
                                          over_base ? 0 : 4, &hidden, &error);
    ck_assert_msg(rc == 0, "WSCInstallProviderAndChains64_32(%ls): %d", name, error);
    return hidden;
}

/* As the sample's installer removes, in one catalog: each chain by its
 * GUID, then the hidden entry by the LSP's GUID. */
static void remove_from(const struct view *view, const GUID *guid)
{
    WSAPROTOCOL_INFOW *list;
    DWORD hidden = 0;
    GUID chain;
    int n, i, error;

    list = catalog_of(view, &n);
    for (i = 0; i < n && !hidden; i++)
        if (IsEqualGUID(&list[i].ProviderId, guid))
            hidden = list[i].dwCatalogEntryId;
    for (i = 0; hidden && i < n; i++) {
        if (list[i].ProtocolChain.ChainLen < 2 || list[i].ProtocolChain.ChainEntries[0] != hidden)
            continue;
        chain = list[i].ProviderId;
        ck_assert_msg(view->deinstall(&chain, &error) == 0, "chain: %d", error);
    }
    ck_assert_msg(view->deinstall((LPGUID)guid, &error) == 0, "hidden: %d", error);
    free(list);
}

static void remove_sample(const GUID *guid)
{
    remove_from(&native, guid);
    remove_from(&wow, guid);
}

/* The chain entries of the samples' or lspkit's TCP and UDP chains whose
 * first link is `hidden`. */
static DWORD chains_of(DWORD hidden, DWORD *ids)
{
    WSAPROTOCOL_INFOW *list;
    DWORD made = 0;
    int n, i;

    list = catalog(&n);
    for (i = 0; i < n && made < LAYERED_MAX_CHAINS; i++)
        if (list[i].ProtocolChain.ChainLen > 1 && list[i].ProtocolChain.ChainEntries[0] == hidden &&
            (list[i].iProtocol == IPPROTO_TCP || list[i].iProtocol == IPPROTO_UDP))
            ids[made++] = list[i].dwCatalogEntryId;
    free(list);
    return made;
}

static void install_lspkit_over(DWORD hidden)
{
    DWORD ids[LAYERED_MAX_CHAINS], n = chains_of(hidden, ids);
    int error;

    ck_assert_uint_eq(n, 4);
    error = layered_install(LAYERED_DLL_PATH, &lspkit_layered, &lspkit_chain, ids, n,
                            &setup.lspkit);
    ck_assert_msg(error == 0, "layered_install: %d", error);
}

static void remember_catalog(void)
{
    memset(&setup, 0, sizeof(setup));
    setup.before[0] = catalog_of(&native, &setup.before_count[0]);
    setup.before[1] = catalog_of(&wow, &setup.before_count[1]);
}

/* Each case installs before its WSAStartup, which is when a process
 * takes in catalog changes (spi/dstate.c). */
static void setup_above(void)
{
    remember_catalog();
    setup.a = install_sample(&guid_a, L"sample_lsp_a.dll", L"sample A", FALSE);
    lb_setup();
}

static void install_below(void)
{
    remember_catalog();
    setup.b = install_sample(&guid_b, L"sample_lsp_b.dll", L"sample B", TRUE);
    install_lspkit_over(setup.b);
}

static void setup_below(void)
{
    install_below();
    lb_setup();
}

static void setup_between(void)
{
    install_below();
    setup.a = install_sample(&guid_a, L"sample_lsp_a.dll", L"sample A", FALSE);
    lb_setup();
}

/* Everything removed, both catalogs are byte for byte what they were. */
static void teardown_exact(void)
{
    const struct view *views[2] = { &native, &wow };
    WSAPROTOCOL_INFOW *after;
    int n, v;

    lb_teardown();
    if (setup.a)
        remove_sample(&guid_a);
    if (setup.lspkit.layered_id)
        layered_uninstall(&setup.lspkit);
    if (setup.b)
        remove_sample(&guid_b);
    for (v = 0; v < 2; v++) {
        after = catalog_of(views[v], &n);
        ck_assert_int_eq(n, setup.before_count[v]);
        ck_assert_msg(!memcmp(after, setup.before[v], n * sizeof(*after)),
                      "catalog %d changed", v);
        free(after);
        free(setup.before[v]);
    }
}

/* The socket's chain: sample A (if any), lspkit, sample B (if any), base. */
static void assert_chain(SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    const DWORD *link;
    int len = sizeof(info), expected = 2 + (setup.a != 0) + (setup.b != 0);

    ck_assert_int_eq(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    ck_assert_int_eq(info.ProtocolChain.ChainLen, expected);
    link = info.ProtocolChain.ChainEntries;
    if (setup.a)
        ck_assert_uint_eq(*link++, setup.a);
    if (setup.lspkit.layered_id)
        ck_assert_uint_eq(*link, setup.lspkit.layered_id);
    link++;
    if (setup.b)
        ck_assert_uint_eq(*link, setup.b);
}

static struct sample_lsp_counters counters_of(SOCKET s, DWORD code)
{
    struct sample_lsp_counters c;
    DWORD returned = 0;
    int rc = WSAIoctl(s, code, NULL, 0, &c, sizeof(c), &returned, NULL, NULL);
    int err = WSAGetLastError();

    ck_assert_msg(rc == 0, "counters ioctl %#lx: %d", code, err);
    ck_assert_uint_eq(returned, sizeof(c));
    return c;
}

/* The counters of each sample in the chain, A then B. */
static void read_counters(SOCKET s, struct sample_lsp_counters out[2])
{
    memset(out, 0, 2 * sizeof(*out));
    if (setup.a)
        out[0] = counters_of(s, SAMPLE_LSP_COUNTERS_A);
    if (setup.b)
        out[1] = counters_of(s, SAMPLE_LSP_COUNTERS_B);
}

/* Every sample in the chain counted at least `bytes`, `sendmsgs` and `polls` more. */
static void assert_counted(const struct sample_lsp_counters before[2],
                           const struct sample_lsp_counters after[2], LONG64 bytes,
                           LONG sendmsgs, LONG polls)
{
    int i;

    for (i = 0; i < 2; i++) {
        if (!(i == 0 ? setup.a : setup.b))
            continue;
        ck_assert_msg(after[i].bytes_sent - before[i].bytes_sent >= bytes,
                      "sample %c counted %lld bytes, not %lld", 'A' + i,
                      (long long)(after[i].bytes_sent - before[i].bytes_sent), (long long)bytes);
        ck_assert_int_ge(after[i].sendmsg_calls - before[i].sendmsg_calls, sendmsgs);
        ck_assert_int_ge(after[i].poll_calls - before[i].poll_calls, polls);
    }
}

static void recv_all(SOCKET s, unsigned char *buf, int len)
{
    int got = 0, n;

    while (got < len) {
        n = recv(s, (char *)buf + got, len - got, 0);
        ck_assert_msg(n > 0, "recv: %d, error %d", n, WSAGetLastError());
        got += n;
    }
}

/* TCP: a checked stream, then WSAPoll seeing the peer's data. */
static void check_tcp(int family)
{
    enum { TOTAL = 64 * 1024 };
    unsigned char *out = malloc(TOTAL), peer;
    struct sample_lsp_counters before[2], after[2];
    ULONGLONG lspkit_before, lspkit_after, received;
    WSAPOLLFD fd;
    struct sock_drain drain;
    SOCKET c, s;

    ck_assert_ptr_nonnull(out);
    sock_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    assert_chain(c);
    read_counters(c, before);
    ck_assert_msg(layered_inspect_counts(c, &lspkit_before, &received),
                  "not a socket of lspkit.dll");
    pattern_fill(out, TOTAL, 7, 0);
    lb_drain_start(&drain, s, TOTAL, 0);
    ck_assert_int_eq(send(c, (char *)out, TOTAL, 0), TOTAL);
    lb_drain_join(&drain);
    ck_assert_uint_eq(pattern_mismatch(drain.buf, TOTAL, 7, 0), TOTAL);
    sock_drain_free(&drain);
    ck_assert_int_eq(send(s, "p", 1, 0), 1);
    fd.fd = c;
    fd.events = POLLRDNORM;
    fd.revents = 0;
    ck_assert_int_eq(WSAPoll(&fd, 1, LB_WAIT_MS), 1);
    ck_assert(fd.revents & POLLRDNORM);
    recv_all(c, &peer, 1);
    read_counters(c, after);
    ck_assert(layered_inspect_counts(c, &lspkit_after, &received));
    ck_assert_uint_ge(lspkit_after - lspkit_before, TOTAL);
    assert_counted(before, after, TOTAL, 0, 1);
    closesocket(c);
    closesocket(s);
    free(out);
}

/* UDP: a datagram sent with WSASendMsg from two buffers arrives whole. */
static void check_udp(int family)
{
    struct sample_lsp_counters before[2], after[2];
    struct sockaddr_storage to;
    char head[] = "sample ", tail[] = "datagram", got[64];
    WSABUF bufs[2] = { { 7, head }, { 8, tail } };
    WSAMSG msg;
    DWORD sent = 0;
    int tolen, n;
    SOCKET a, b;

    sock_udp_pair(family, &a, &b, &to, &tolen);
    assert_chain(a);
    read_counters(a, before);
    msg = sock_message(&to, tolen, bufs, 2);
    ck_assert_msg(WSASendMsg(a, &msg, 0, &sent, NULL, NULL) == 0, "WSASendMsg: %d",
                  WSAGetLastError());
    ck_assert_uint_eq(sent, 15);
    n = recv(b, got, sizeof(got), 0);
    ck_assert_int_eq(n, 15);
    ck_assert(!memcmp(got, "sample datagram", 15));
    read_counters(a, after);
    assert_counted(before, after, 15, 1, 0);
    closesocket(a);
    closesocket(b);
}

START_TEST(test_traffic)
{
    check_tcp(lb_family(_i));
    check_udp(lb_family(_i));
}
END_TEST

static TCase *interop_tcase(const char *name, void (*setup_fn)(void))
{
    TCase *tc = tcase_create(name);

    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup_fn, teardown_exact);
    tcase_add_loop_test(tc, test_traffic, 0, 2);
    return tc;
}

Suite *lb_suite(void)
{
    Suite *suite = suite_create("interop");

    suite_add_tcase(suite, interop_tcase("above", setup_above));
    suite_add_tcase(suite, interop_tcase("below", setup_below));
    suite_add_tcase(suite, interop_tcase("between", setup_between));
    return suite;
}
