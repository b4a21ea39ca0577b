/* SPDX-License-Identifier: MIT */
/* layered_chain.c: the provider's own duties - its proc table (L01), its
 * place in the catalog (L02: a chain through it twice), the protocol info
 * its sockets report (L05) and its inspection counters beside untouched
 * data (L08). */
#include "layered_test.h"

#include <stdlib.h>
#include <string.h>

static const int types[2] = { SOCK_STREAM, SOCK_DGRAM };

/* Any function will do for the upcalls: the provider is started already
 * (a socket is open), so it keeps the front end's table and ignores this. */
static void WINAPI unused_upcall(void)
{
}

/* L01: WSPStartup negotiates 2.2 and fills every entry of the proc table;
 * it refuses older versions. Called directly, beside the front end's start. */
START_TEST(test_L01_startup_fills_every_entry)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    LPWSPSTARTUP startup;
    WSAPROTOCOL_INFOW info;
    WSPUPCALLTABLE upcalls;
    WSPPROC_TABLE procs;
    WSPDATA data;
    FARPROC *entry;
    size_t i;
    int error = 0;

    ck_assert_uint_ne(s, INVALID_SOCKET);
    layered_assert_through_lsp(s);
    startup = (LPWSPSTARTUP)(void *)GetProcAddress(GetModuleHandleW(L"lspkit.dll"), "WSPStartup");
    ck_assert_ptr_nonnull(startup);
    ck_assert_int_eq(layered_catalog_entry(layered_installed.chain_ids[0], &info), 0);
    for (entry = (FARPROC *)&upcalls, i = 0; i < sizeof(upcalls) / sizeof(FARPROC); i++)
        entry[i] = (FARPROC)(void *)unused_upcall;

    memset(&procs, 0, sizeof(procs));
    memset(&data, 0, sizeof(data));
    ck_assert_int_eq(startup(MAKEWORD(2, 2), &data, &info, upcalls, &procs), 0);
    ck_assert_uint_eq(data.wVersion, MAKEWORD(2, 2));
    ck_assert_uint_eq(data.wHighVersion, MAKEWORD(2, 2));
    for (entry = (FARPROC *)&procs, i = 0; i < sizeof(procs) / sizeof(FARPROC); i++)
        ck_assert_msg(entry[i] != NULL, "proc table entry %u is NULL", (unsigned)i);
    ck_assert_int_eq(procs.lpWSPCleanup(&error), 0);

    ck_assert_int_eq(startup(MAKEWORD(2, 0), &data, &info, upcalls, &procs), WSAVERNOTSUPPORTED);
    ck_assert_int_eq(startup(MAKEWORD(1, 1), &data, &info, upcalls, &procs), WSAVERNOTSUPPORTED);
    closesocket(s);
}
END_TEST

/* L05: SO_PROTOCOL_INFOW (and A) of a provider socket is the chain entry
 * as the catalog lists it, for TCP and UDP over IPv4 and IPv6. */
START_TEST(test_L05_protocol_info_is_the_chain_entry)
{
    int family = lb_family(_i / 2), type = types[_i % 2];
    SOCKET s = socket(family, type, 0);
    WSAPROTOCOL_INFOW info, listed;
    WSAPROTOCOL_INFOA ansi;
    int len = sizeof(info), rc;

    ck_assert_msg(s != INVALID_SOCKET, "socket: %d", WSAGetLastError());
    layered_assert_through_lsp(s);
    rc = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(len, sizeof(info));
    ck_assert_int_eq(layered_catalog_entry(info.dwCatalogEntryId, &listed), 0);
    ck_assert_int_eq(memcmp(&info, &listed, sizeof(info)), 0);
    ck_assert_int_eq(info.iAddressFamily, family);
    ck_assert_int_eq(info.iSocketType, type);

    len = sizeof(ansi);
    ck_assert_int_eq(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&ansi, &len), 0);
    ck_assert_uint_eq(ansi.dwCatalogEntryId, info.dwCatalogEntryId);
    ck_assert_msg(!strncmp(ansi.szProtocol, "lspkit over ", 12), "szProtocol %s", ansi.szProtocol);
    closesocket(s);
}
END_TEST

/* L08: a stream sent in pieces of every size, through several gathers,
 * arrives byte for byte; the provider's counters saw every byte once, in
 * the right direction, on the right socket. */
START_TEST(test_L08_stream_unchanged_and_counted)
{
    enum { TOTAL = 1 << 20 };
    unsigned char *out = malloc(TOTAL);
    ULONGLONG sent, received;
    size_t offset = 0, piece = 1;
    SOCKET c, s;
    struct sock_drain drain;

    ck_assert_ptr_nonnull(out);
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    layered_assert_through_lsp(c);
    layered_assert_through_lsp(s);
    pattern_fill(out, TOTAL, 8, 0);
    lb_drain_start(&drain, s, TOTAL, 0);
    while (offset < TOTAL) {
        WSABUF bufs[3];
        DWORD n = 0, count = 0, i;
        for (i = 0; i < 3 && offset + n < TOTAL; i++) {
            size_t len = piece < TOTAL - offset - n ? piece : TOTAL - offset - n;
            bufs[i].buf = (char *)out + offset + n;
            bufs[i].len = (ULONG)len;
            n += (DWORD)len;
            count++;
            piece = piece * 3 % 7919 + 1;
        }
        DWORD done = 0;
        int rc = WSASend(c, bufs, count, &done, 0, NULL, NULL);
        int err = WSAGetLastError();
        ck_assert_msg(rc == 0, "WSASend: %d", err);
        ck_assert_uint_eq(done, n);
        offset += n;
    }
    lb_drain_join(&drain);
    ck_assert_uint_eq(pattern_mismatch(drain.buf, TOTAL, 8, 0), TOTAL);
    sock_drain_free(&drain);

    layered_counts(c, &sent, &received);
    ck_assert_uint_eq(sent, TOTAL);
    ck_assert_uint_eq(received, 0);
    layered_counts(s, &sent, &received);
    ck_assert_uint_eq(sent, 0);
    ck_assert_uint_eq(received, TOTAL);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* L08: datagrams too, one for one. */
START_TEST(test_L08_datagrams_unchanged_and_counted)
{
    struct sockaddr_storage bname;
    int blen, i;
    SOCKET a, b;
    unsigned char out[1200], in[1500];
    ULONGLONG sent, received;

    sock_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    layered_assert_through_lsp(a);
    for (i = 0; i < 10; i++) {
        pattern_fill(out, sizeof(out), 20 + i, 0);
        ck_assert_int_eq(sendto(a, (char *)out, 100 * (i + 1), 0, (struct sockaddr *)&bname, blen),
                         100 * (i + 1));
        ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
        ck_assert_int_eq(recv(b, (char *)in, sizeof(in), 0), 100 * (i + 1));
        ck_assert_uint_eq(pattern_mismatch(in, 100 * (i + 1), 20 + i, 0), 100 * (i + 1));
    }
    layered_counts(a, &sent, &received);
    ck_assert_uint_eq(sent, 5500);
    layered_counts(b, &sent, &received);
    ck_assert_uint_eq(received, 5500);
    closesocket(a);
    closesocket(b);
}
END_TEST

TCase *layered_chain_tcase(void)
{
    TCase *tc = layered_tcase("provider");
    tcase_add_test(tc, test_L01_startup_fills_every_entry);
    tcase_add_loop_test(tc, test_L05_protocol_info_is_the_chain_entry, 0, 2 * LB_FAMILIES);
    tcase_add_loop_test(tc, test_L08_stream_unchanged_and_counted, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L08_datagrams_unchanged_and_counted, 0, LB_FAMILIES);
    return tc;
}
