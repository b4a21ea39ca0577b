/* SPDX-License-Identifier: MIT */
/* stress.c: many threads, many sockets, every way of completing a send.
 *
 * STRESS_THREADS threads each open STRESS_PAIRS loopback TCP connections at
 * once (2 * STRESS_PAIRS = 32 sockets per thread, IPv4 and IPv6 alternating)
 * and move STRESS_BYTES in both directions of every connection. Connection
 * i of a thread uses mode i % 4:
 *   blocking    WSASend without overlapped (its byte count checked), recv
 *   event       overlapped WSASend/WSARecv, each op its own event
 *   routine     overlapped with completion routines, harvested by SleepEx
 *   port        overlapped, sockets bound to the thread's completion port
 * Every socket sends its own pattern (pattern_fill seed), so that a byte lost,
 * duplicated, reordered or delivered to the wrong socket is seen at the
 * receiver (S12 S13 S19). Each overlapped op counts its postings and its
 * completions: a completion must come exactly once per posting, never
 * twice, never missing (L03), and nothing more arrives after the end.
 *
 * Resources: a warm-up round first (threads, Winsock's lazy state, heap
 * arenas), then STRESS_ROUNDS measured rounds; afterwards the process handle
 * count must be exactly what it was, and PrivateUsage may have grown by at
 * most STRESS_PRIVATE_SLACK. Wine 8 answers 0 to both GetProcessHandleCount
 * and PrivateUsage, so each is backed by a count of its own that works
 * there too: open handle values, and committed private pages (VirtualQuery). The slack: a round allocates and frees ~4 MiB
 * of buffers from several threads, and the heap keeps freed blocks (and may
 * keep a grown segment) rather than return them; 1 MiB is far below what
 * one leaked round would cost (every buffer of a round is at least 64 KiB,
 * each of the 256 connections of a round holds 2 x 64 KiB), so a leak of any
 * per-connection or per-op resource still fails. */
#include "loopback_util.h"

#include <psapi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRESS_THREADS 8
#define STRESS_PAIRS 16
#define STRESS_BYTES (64u * 1024)
#define STRESS_CHUNK (8u * 1024)
#define STRESS_SENDS (STRESS_BYTES / STRESS_CHUNK)
#define STRESS_RECV (16u * 1024)
#define STRESS_ROUNDS 2
#define STRESS_PRIVATE_SLACK (1u << 20)
/* A thread that makes no progress this long is stuck. */
#define STRESS_STALL_MS 20000

enum mode { MODE_BLOCKING, MODE_EVENT, MODE_ROUTINE, MODE_PORT, MODE_COUNT };
static const char *const mode_names[MODE_COUNT] = { "blocking", "event", "routine", "port" };

struct worker;
struct conn;

/* One overlapped operation; reused for successive postings. */
struct op {
    WSAOVERLAPPED ov;
    struct conn *conn;
    int end;              /* socket index in conn->s */
    BOOL is_send;
    BOOL busy;
    int posted;
    int completed;
    size_t offset;        /* stream offset of the data */
    DWORD len;
    unsigned char *buf;   /* recv: own buffer; send: points into the pattern */
    HANDLE event;         /* event mode only */
};

/* One direction: end `from` sends its pattern to end 1 - from. */
struct flow {
    unsigned char *data;  /* the sender's whole pattern */
    size_t received;
    struct op sends[STRESS_SENDS];
    struct op recv;
};

struct conn {
    struct worker *w;
    enum mode mode;
    int family;
    SOCKET s[2];
    unsigned seed[2];     /* pattern of what end i sends */
    struct flow flow[2];  /* flow[i]: sent by end i */
};

struct worker {
    int index;
    HANDLE thread;
    HANDLE port;
    struct conn conns[STRESS_PAIRS];
    char error[256];      /* first failure; checked by the main thread */
    long completions;
};

/* Worker threads never assert (Check's longjmp belongs to the main thread):
 * they record the first failure and stop. */
static BOOL failf(struct worker *w, const char *fmt, ...)
{
    if (w->error[0])
        return FALSE;
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(w->error, sizeof(w->error), "thread %d: ", w->index);
    vsnprintf(w->error + n, sizeof(w->error) - (size_t)n, fmt, ap);
    va_end(ap);
    return FALSE;
}

static unsigned seed_of(int worker, int pair, int end, int round)
{
    return (unsigned)(((round * STRESS_THREADS + worker) * STRESS_PAIRS + pair) * 2 + end + 1);
}

static BOOL make_pair(struct worker *w, struct conn *c)
{
    struct sockaddr_storage any, addr;
    int anylen = sock_loopback(c->family, &any), len = sizeof(addr);
    SOCKET l = WSASocketW(c->family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    c->s[0] = c->s[1] = INVALID_SOCKET;
    if (l == INVALID_SOCKET)
        return failf(w, "WSASocket(listener): %d", WSAGetLastError());
    BOOL ok = bind(l, (struct sockaddr *)&any, anylen) == 0 && listen(l, 1) == 0
              && getsockname(l, (struct sockaddr *)&addr, &len) == 0;
    if (ok) {
        c->s[0] = WSASocketW(c->family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        ok = c->s[0] != INVALID_SOCKET && connect(c->s[0], (struct sockaddr *)&addr, len) == 0;
    }
    if (ok) {
        c->s[1] = accept(l, NULL, NULL);
        ok = c->s[1] != INVALID_SOCKET;
    }
    int err = WSAGetLastError();
    closesocket(l);
    return ok ? TRUE : failf(w, "loopback pair (family %d): error %d", c->family, err);
}

/* Checks RECEIVED bytes at BUF, which arrived on flow F at its current
 * offset, against the sender's pattern. */
static BOOL check_bytes(struct conn *c, int from, const unsigned char *buf, size_t n)
{
    struct flow *f = &c->flow[from];
    if (f->received + n > STRESS_BYTES)
        return failf(c->w, "%s pair: %lu bytes beyond the %u sent", mode_names[c->mode],
                     (unsigned long)(f->received + n - STRESS_BYTES), STRESS_BYTES);
    size_t bad = pattern_mismatch(buf, n, c->seed[from], f->received);
    if (bad != n)
        return failf(c->w, "%s pair: byte %lu of end %d's stream is wrong", mode_names[c->mode],
                     (unsigned long)(f->received + bad), from);
    f->received += n;
    return TRUE;
}

/* Blocking mode: 4 KiB at a time each way, so that neither send can block
 * for lack of buffer while this one thread is the only reader. */
static BOOL run_blocking(struct worker *w, struct conn *c)
{
    enum { PIECE = 4096 };
    unsigned char in[PIECE];
    for (size_t off = 0; off < STRESS_BYTES; off += PIECE) {
        for (int from = 0; from < 2; from++) {
            /* Two buffers of unequal size: one gather (S12). */
            WSABUF bufs[2] = { { 1000, (char *)c->flow[from].data + off },
                               { PIECE - 1000, (char *)c->flow[from].data + off + 1000 } };
            DWORD sent = 0;
            if (WSASend(c->s[from], bufs, 2, &sent, 0, NULL, NULL) != 0)
                return failf(w, "blocking WSASend: %d", WSAGetLastError());
            if (sent != PIECE)
                return failf(w, "blocking WSASend sent %lu of %u (S08)", sent, PIECE);
        }
        for (int from = 0; from < 2; from++) {
            size_t got = sock_recv_exact(c->s[1 - from], in, PIECE, STRESS_STALL_MS);
            if (got != PIECE)
                return failf(w, "blocking recv got %lu of %u", (unsigned long)got, PIECE);
            if (!check_bytes(c, from, in, PIECE))
                return FALSE;
        }
    }
    return TRUE;
}

static void CALLBACK routine_done(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags);

static BOOL post(struct op *o)
{
    struct conn *c = o->conn;
    SOCKET s = c->s[o->end];
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = c->mode == MODE_ROUTINE ? routine_done : NULL;
    WSABUF bufs[2];
    DWORD n = 0, flags = 0, count = 1;
    int rc;

    memset(&o->ov, 0, sizeof(o->ov));
    o->ov.hEvent = c->mode == MODE_EVENT ? o->event : NULL;
    o->busy = TRUE;
    o->posted++;
    if (o->is_send) {
        bufs[0].buf = (char *)o->buf;
        bufs[0].len = o->len / 3;
        bufs[1].buf = (char *)o->buf + bufs[0].len;
        bufs[1].len = o->len - bufs[0].len;
        rc = WSASend(s, bufs, 2, &n, 0, &o->ov, routine);
    } else {
        bufs[0].buf = (char *)o->buf;
        bufs[0].len = o->len;
        rc = WSARecv(s, bufs, count, &n, &flags, &o->ov, routine);
    }
    int err = WSAGetLastError();
    if (rc != 0 && err != WSA_IO_PENDING) {
        o->busy = FALSE;
        return failf(c->w, "%s %s: error %d", mode_names[c->mode], o->is_send ? "WSASend" : "WSARecv", err);
    }
    return TRUE;
}

static BOOL post_recv(struct conn *c, int from)
{
    struct op *o = &c->flow[from].recv;
    o->offset = c->flow[from].received;
    return post(o);
}

/* Every completion, whatever brought it: counted, checked, and the receive
 * posted again while bytes are due. */
static BOOL completed(struct op *o, DWORD error, DWORD bytes)
{
    struct conn *c = o->conn;
    struct worker *w = c->w;
    o->completed++;
    w->completions++;
    if (!o->busy || o->completed > o->posted)
        return failf(w, "%s %s: completion %d of %d postings (twice?)", mode_names[c->mode],
                     o->is_send ? "send" : "recv", o->completed, o->posted);
    o->busy = FALSE;
    if (error)
        return failf(w, "%s %s completed with error %lu", mode_names[c->mode],
                     o->is_send ? "send" : "recv", error);
    if (o->is_send) {
        if (bytes != o->len)
            return failf(w, "%s send completed with %lu of %lu bytes", mode_names[c->mode], bytes, o->len);
        return TRUE;
    }
    int from = 1 - o->end;
    if (bytes == 0)
        return failf(w, "%s recv: end of stream after %lu bytes", mode_names[c->mode],
                     (unsigned long)c->flow[from].received);
    if (!check_bytes(c, from, o->buf, bytes))
        return FALSE;
    return c->flow[from].received < STRESS_BYTES ? post_recv(c, from) : TRUE;
}

static void CALLBACK routine_done(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    struct op *o = CONTAINING_RECORD(ov, struct op, ov);
    if (flags != 0)
        failf(o->conn->w, "routine called with flags 0x%lx (S16)", flags);
    completed(o, error, bytes);
}

static BOOL conn_done(const struct conn *c)
{
    for (int from = 0; from < 2; from++) {
        const struct flow *f = &c->flow[from];
        if (f->received < STRESS_BYTES || f->recv.busy)
            return FALSE;
        for (unsigned i = 0; i < STRESS_SENDS; i++)
            if (f->sends[i].busy)
                return FALSE;
    }
    return TRUE;
}

/* Event mode: wait for any busy op's event, then take its result. */
static BOOL harvest_event(struct conn *c)
{
    struct op *ops[2 * (STRESS_SENDS + 1)];
    HANDLE events[2 * (STRESS_SENDS + 1)] = { 0 };
    DWORD n = 0;
    for (int from = 0; from < 2; from++) {
        struct flow *f = &c->flow[from];
        for (unsigned i = 0; i < STRESS_SENDS; i++)
            if (f->sends[i].busy)
                ops[n++] = &f->sends[i];
        if (f->recv.busy)
            ops[n++] = &f->recv;
    }
    for (DWORD i = 0; i < n; i++)
        events[i] = ops[i]->event;
    DWORD r = WSAWaitForMultipleEvents(n, events, FALSE, STRESS_STALL_MS, FALSE);
    if (r >= WSA_WAIT_EVENT_0 + n)
        return failf(c->w, "event pair: no completion for %u ms (wait %lu)", STRESS_STALL_MS, r);
    struct op *o = ops[r - WSA_WAIT_EVENT_0];
    DWORD bytes = 0, flags = 0;
    BOOL ok = WSAGetOverlappedResult(c->s[o->end], &o->ov, &bytes, FALSE, &flags);
    DWORD err = ok ? 0 : (DWORD)WSAGetLastError();
    WSAResetEvent(o->event);
    return completed(o, err, bytes);
}

static BOOL harvest_routine(struct conn *c)
{
    DWORD r = SleepEx(STRESS_STALL_MS, TRUE);
    return r == WAIT_IO_COMPLETION ? TRUE
           : failf(c->w, "routine pair: no completion routine for %u ms", STRESS_STALL_MS);
}

static BOOL harvest_port(struct conn *c)
{
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(c->w->port, &bytes, &key, &ov, STRESS_STALL_MS);
    DWORD err = ok ? 0 : GetLastError();
    if (!ov)
        return failf(c->w, "port pair: no completion packet for %u ms (%lu)", STRESS_STALL_MS, err);
    if (key != (ULONG_PTR)c)
        return failf(c->w, "port pair: completion key %p, expected %p", (void *)key, (void *)c);
    return completed(CONTAINING_RECORD(ov, struct op, ov), err, bytes);
}

/* After a connection is done nothing more may arrive: no event set again,
 * no routine queued, no packet in the port. */
static BOOL check_quiet(struct conn *c)
{
    long before = c->w->completions;
    switch (c->mode) {
    case MODE_EVENT:
        for (int from = 0; from < 2; from++) {
            struct flow *f = &c->flow[from];
            for (unsigned i = 0; i <= STRESS_SENDS; i++) {
                struct op *o = i < STRESS_SENDS ? &f->sends[i] : &f->recv;
                if (WaitForSingleObject(o->event, 0) != WAIT_TIMEOUT)
                    return failf(c->w, "event pair: event set again after its completion");
            }
        }
        break;
    case MODE_ROUTINE:
        while (SleepEx(0, TRUE) == WAIT_IO_COMPLETION)
            ;
        break;
    case MODE_PORT: {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov = NULL;
        if (GetQueuedCompletionStatus(c->w->port, &bytes, &key, &ov, 0) || ov)
            return failf(c->w, "port pair: an extra completion packet");
        break;
    }
    default:
        break;
    }
    if (c->w->completions != before)
        return failf(c->w, "%s pair: %ld completions after the end", mode_names[c->mode],
                     c->w->completions - before);
    for (int from = 0; from < 2; from++) {
        struct flow *f = &c->flow[from];
        for (unsigned i = 0; i <= STRESS_SENDS; i++) {
            struct op *o = i < STRESS_SENDS ? &f->sends[i] : &f->recv;
            if (o->completed != o->posted)
                return failf(c->w, "%s pair: an op completed %d times for %d postings",
                             mode_names[c->mode], o->completed, o->posted);
        }
    }
    return TRUE;
}

/* Overlapped modes: every send of both directions posted at once (in
 * order, S19), one receive per direction at a time, then completions
 * harvested until both streams are through. */
static BOOL run_overlapped(struct worker *w, struct conn *c)
{
    for (int from = 0; from < 2 && !w->error[0]; from++) {
        if (!post_recv(c, 1 - from))
            return FALSE;
        for (unsigned i = 0; i < STRESS_SENDS; i++)
            if (!post(&c->flow[from].sends[i]))
                return FALSE;
    }
    while (!w->error[0] && !conn_done(c)) {
        BOOL ok = c->mode == MODE_EVENT     ? harvest_event(c)
                  : c->mode == MODE_ROUTINE ? harvest_routine(c)
                                            : harvest_port(c);
        if (!ok)
            return FALSE;
    }
    return !w->error[0] && check_quiet(c);
}

static BOOL conn_init(struct worker *w, struct conn *c, int pair, int round)
{
    memset(c, 0, sizeof(*c));
    c->w = w;
    c->mode = (enum mode)(pair % MODE_COUNT);
    c->family = lb_family((pair / MODE_COUNT) % LB_FAMILIES);
    if (!make_pair(w, c))
        return FALSE;
    if (c->mode == MODE_PORT)
        for (int e = 0; e < 2; e++)
            if (!CreateIoCompletionPort((HANDLE)c->s[e], w->port, (ULONG_PTR)c, 0))
                return failf(w, "CreateIoCompletionPort(socket): %lu", GetLastError());
    for (int from = 0; from < 2; from++) {
        struct flow *f = &c->flow[from];
        c->seed[from] = seed_of(w->index, pair, from, round);
        f->data = malloc(STRESS_BYTES);
        f->recv.buf = malloc(STRESS_RECV);
        if (!f->data || !f->recv.buf)
            return failf(w, "out of memory");
        pattern_fill(f->data, STRESS_BYTES, c->seed[from], 0);
        f->recv.conn = c;
        f->recv.end = 1 - from;
        f->recv.len = STRESS_RECV;
        for (unsigned i = 0; i < STRESS_SENDS; i++) {
            struct op *o = &f->sends[i];
            o->conn = c;
            o->end = from;
            o->is_send = TRUE;
            o->offset = (size_t)i * STRESS_CHUNK;
            o->len = STRESS_CHUNK;
            o->buf = f->data + o->offset;
        }
        if (c->mode == MODE_EVENT)
            for (unsigned i = 0; i <= STRESS_SENDS; i++) {
                struct op *o = i < STRESS_SENDS ? &f->sends[i] : &f->recv;
                o->event = WSACreateEvent();
                if (o->event == WSA_INVALID_EVENT)
                    return failf(w, "WSACreateEvent: %d", WSAGetLastError());
            }
    }
    return TRUE;
}

static void conn_free(struct conn *c)
{
    for (int e = 0; e < 2; e++)
        if (c->s[e] != INVALID_SOCKET && c->s[e] != 0)
            closesocket(c->s[e]);
    for (int from = 0; from < 2; from++) {
        struct flow *f = &c->flow[from];
        free(f->data);
        free(f->recv.buf);
        for (unsigned i = 0; i <= STRESS_SENDS; i++) {
            struct op *o = i < STRESS_SENDS ? &f->sends[i] : &f->recv;
            if (o->event)
                WSACloseEvent(o->event);
        }
    }
}

static int current_round;

static DWORD WINAPI worker_main(void *arg)
{
    struct worker *w = arg;
    w->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (!w->port) {
        failf(w, "CreateIoCompletionPort: %lu", GetLastError());
        return 0;
    }
    /* All 32 sockets of the thread are open at once. */
    int made = 0;
    while (made < STRESS_PAIRS && conn_init(w, &w->conns[made], made, current_round))
        made++;
    if (made == STRESS_PAIRS)
        for (int i = 0; i < STRESS_PAIRS && !w->error[0]; i++) {
            struct conn *c = &w->conns[i];
            if (c->mode == MODE_BLOCKING)
                run_blocking(w, c);
            else
                run_overlapped(w, c);
        }
    /* A pair that failed half-way is freed too (conn_init zeroed it). */
    int used = made < STRESS_PAIRS ? made + 1 : made;
    for (int i = 0; i < used; i++)
        conn_free(&w->conns[i]);
    CloseHandle(w->port);
    return 0;
}

static struct worker workers[STRESS_THREADS];

/* One round: all threads at once; asserts that each finished clean. */
static void run_round(int round)
{
    current_round = round;
    memset(workers, 0, sizeof(workers));
    for (int i = 0; i < STRESS_THREADS; i++) {
        workers[i].index = i;
        workers[i].thread = CreateThread(NULL, 0, worker_main, &workers[i], 0, NULL);
        ck_assert_ptr_nonnull(workers[i].thread);
    }
    for (int i = 0; i < STRESS_THREADS; i++) {
        DWORD r = WaitForSingleObject(workers[i].thread, 4 * STRESS_STALL_MS);
        ck_assert_msg(r == WAIT_OBJECT_0, "round %d: thread %d did not finish", round, i);
        CloseHandle(workers[i].thread);
    }
    long expect = 0, got = 0;
    for (int i = 0; i < STRESS_THREADS; i++) {
        ck_assert_msg(!workers[i].error[0], "round %d: %s", round, workers[i].error);
        got += workers[i].completions;
    }
    /* At least every send of the overlapped pairs and one receive per
     * direction completed; the receives may come in any number of pieces. */
    expect = (long)STRESS_THREADS * (STRESS_PAIRS / MODE_COUNT) * (MODE_COUNT - 1) * 2 * (STRESS_SENDS + 1);
    ck_assert_msg(got >= expect, "round %d: %ld completions, at least %ld due", round, got, expect);
}

/* Handles by probing: Wine 8's GetProcessHandleCount answers 0 whatever is
 * open, so the handle values themselves are counted too. Handles are
 * multiples of 4 and a process's handle table is filled from the bottom, so
 * a bound well above this program's peak (~1000 handles) sees them all. */
#define STRESS_HANDLE_PROBE 0x8000

static DWORD probe_handles(void)
{
    DWORD n = 0, flags;
    for (ULONG_PTR v = 4; v < STRESS_HANDLE_PROBE; v += 4)
        if (GetHandleInformation((HANDLE)v, &flags))
            n++;
    return n;
}

/* Committed private memory by walking the address space: what PrivateUsage
 * counts on Windows, which Wine 8's GetProcessMemoryInfo leaves 0. */
static SIZE_T committed_private(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T total = 0;
    const char *p = NULL;
    while (VirtualQuery(p, &mbi, sizeof(mbi)) == sizeof(mbi)) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE)
            total += mbi.RegionSize;
        const char *next = (const char *)mbi.BaseAddress + mbi.RegionSize;
        if (next <= p)
            break;
        p = next;
    }
    return total;
}

struct usage {
    DWORD handles;        /* GetProcessHandleCount */
    DWORD probed;         /* probe_handles */
    SIZE_T priv;          /* PrivateUsage */
    SIZE_T committed;     /* committed_private */
};

static void usage(struct usage *u)
{
    PROCESS_MEMORY_COUNTERS_EX pmc = { 0 };
    ck_assert(GetProcessHandleCount(GetCurrentProcess(), &u->handles));
    ck_assert(GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof(pmc)));
    u->priv = pmc.PrivateUsage;
    u->probed = probe_handles();
    u->committed = committed_private();
}

static void assert_no_growth(const char *what, SIZE_T before, SIZE_T after)
{
    ck_assert_msg(after <= before + STRESS_PRIVATE_SLACK, "%s grew by %lu bytes (slack %u)",
                  what, (unsigned long)(after - before), STRESS_PRIVATE_SLACK);
}

/* S12 S13 S16 S19 L03: everything arrives, intact, once; nothing leaks. */
START_TEST(test_stress_mixed_modes_no_leak)
{
    struct usage u0, u1;
    DWORD start = GetTickCount();
    run_round(0);
    usage(&u0);
    for (int round = 1; round <= STRESS_ROUNDS; round++)
        run_round(round);
    usage(&u1);
    printf("stress: %d rounds of %d threads x %d sockets in %lu ms; handles %lu -> %lu "
           "(probed %lu -> %lu), private bytes %lu -> %lu (committed %lu -> %lu)\n",
           STRESS_ROUNDS + 1, STRESS_THREADS, 2 * STRESS_PAIRS, GetTickCount() - start,
           u0.handles, u1.handles, u0.probed, u1.probed, (unsigned long)u0.priv,
           (unsigned long)u1.priv, (unsigned long)u0.committed, (unsigned long)u1.committed);
    ck_assert_msg(u1.handles == u0.handles, "handle count %lu after the rounds, %lu before",
                  u1.handles, u0.handles);
    ck_assert_msg(u1.probed == u0.probed, "%lu handles open after the rounds, %lu before",
                  u1.probed, u0.probed);
    ck_assert_uint_gt(u0.probed, 0);
    ck_assert_uint_gt(u0.committed, 0);
    assert_no_growth("PrivateUsage", u0.priv, u1.priv);
    assert_no_growth("committed private memory", u0.committed, u1.committed);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *s = suite_create("stress");
    TCase *tc = lb_tcase("stress");
    tcase_set_timeout(tc, 0);
    tcase_add_test(tc, test_stress_mixed_modes_no_leak);
    suite_add_tcase(s, tc);
    return s;
}
