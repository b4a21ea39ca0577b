/* SPDX-License-Identifier: MIT */
/* The capture front: init, the recording path, shutdown (capture.h).
 *
 * A record is made in two steps. First the socket's flow gives its
 * addresses (learning them through the provider's callback the first
 * time), which decide the Ports filter; then, with the payload copied
 * outside any lock, the flow numbers the record and the queue takes or
 * drops it, under the flow lock so that a flow's numbers follow queue
 * order. */
#include <stdlib.h>
#include <string.h>
#include <ws2tcpip.h>
#include "capture.h"
#include "clock.h"
#include "config.h"
#include "flow.h"
#include "ident.h"
#include "log.h"
#include "queue.h"
#include "writer.h"

volatile LONG capture_active;

/* `control` orders init and shutdown. `gate` is held shared by every
 * recording call that got past capture_active and exclusively by
 * shutdown, so that shutdown frees nothing a recording thread uses. */
static SRWLOCK control = SRWLOCK_INIT;
static SRWLOCK gate = SRWLOCK_INIT;
static BOOL running;              /* started: shutdown has work */
static BOOL stuck;                /* a writer did not stop: its state must stay */
static struct capture_identity identity;
static struct capture_config config;
static struct queue queue;
static struct flow_table flows;
static struct writer writer;

void capture_init(void)
{
    HKEY key;

    AcquireSRWLockExclusive(&control);
    if (running || stuck)
        goto out;
    ident_read(&identity);
    /* One configuration for 32- and 64-bit processes: the 64-bit view. */
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, CONFIG_KEY, 0, KEY_READ | KEY_WOW64_64KEY, &key))
        key = NULL;
    config_read(key, identity.image, &config);
    if (key)
        RegCloseKey(key);
    if (!config.enabled)
        goto out;
    clock_init();
    if (!flows_init(&flows)) {
        log_line("capture: out of memory; capture is off for this process");
        goto out;
    }
    queue_init(&queue, config.queue_bytes, config.queue_records);
    if (!writer_start(&writer, &capture_active, &queue, &identity, config.directory,
                      config.readers, &config.limits)) {
        log_line("capture: cannot start the writer thread (error %lu); capture is off for "
                 "this process", GetLastError());
        flows_free(&flows);
        goto out;
    }
    running = TRUE;
    InterlockedExchange(&capture_active, 1);
out:
    ReleaseSRWLockExclusive(&control);
}

/* TCP or UDP over IPv4 or IPv6; FALSE for anything else. */
static BOOL transport_of(const struct capture_event *e, BOOL *tcp)
{
    if (e->af != AF_INET && e->af != AF_INET6)
        return FALSE;
    if (e->protocol == IPPROTO_TCP || (e->protocol == 0 && e->type == SOCK_STREAM))
        *tcp = TRUE;
    else if (e->protocol == IPPROTO_UDP || (e->protocol == 0 && e->type == SOCK_DGRAM))
        *tcp = FALSE;
    else
        return FALSE;
    return TRUE;
}

/* A port in network order; by hand, so that capture imports nothing from ws2_32. */
static USHORT port_of(const USHORT *network)
{
    const BYTE *b = (const BYTE *)network;

    return (USHORT)(b[0] << 8 | b[1]);
}

static BOOL addr_from(const struct sockaddr *sa, int len, struct capture_addr *out)
{
    memset(out, 0, sizeof(*out));
    if (sa->sa_family == AF_INET && len >= (int)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

        out->family = AF_INET;
        out->port = port_of(&in->sin_port);
        memcpy(out->addr, &in->sin_addr, 4);
        return TRUE;
    }
    /* 24 bytes: up to the address, enough also for the old sockaddr_in6. */
    if (sa->sa_family == AF_INET6 && len >= 24) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

        out->family = AF_INET6;
        out->port = port_of(&in6->sin6_port);
        memcpy(out->addr, &in6->sin6_addr, 16);
        return TRUE;
    }
    return FALSE;
}

static BOOL ask(const struct capture_event *e, BOOL peer, struct capture_addr *out)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);

    memset(&ss, 0, sizeof(ss));
    return e->addresses(e->addresses_context, peer, (struct sockaddr *)&ss, &len) &&
           len > 0 && len <= (int)sizeof(ss) && addr_from((struct sockaddr *)&ss, len, out);
}

/* An IPv4 address as IPv4-mapped IPv6 (::ffff:a.b.c.d), for a dual-stack
 * socket whose two ends were given in different families. */
static void map_to_v6(struct capture_addr *a)
{
    BYTE v4[4];

    memcpy(v4, a->addr, 4);
    memset(a->addr, 0, 16);
    a->addr[10] = a->addr[11] = 0xFF;
    memcpy(a->addr + 12, v4, 4);
    a->family = AF_INET6;
}

/* The local and remote ends of the event, from the flow (learning what it
 * lacks) and, for a datagram, from the event. FALSE when out of memory. */
static BOOL endpoints(const struct capture_event *e, BOOL tcp, struct capture_addr *local,
                      struct capture_addr *remote)
{
    struct capture_addr from_event, learnt_local, learnt_remote;
    BOOL have_event = e->remote && addr_from(e->remote, e->remote_length, &from_event);
    BOOL need_local = FALSE, need_remote = FALSE, learn_event = FALSE;
    BOOL got_local = FALSE, got_remote = FALSE;
    struct flow *f;

    flows_lock(&flows);
    f = flows_get(&flows, e->socket, tcp, (USHORT)e->af);
    if (f) {
        need_local = !f->local_known && e->addresses;
        /* A send without a destination is on a connected socket, so it
         * asks while the peer is unknown; a receive (recv on an unconnected
         * datagram socket, say) asks once. */
        need_remote = !f->remote_known && !have_event && e->addresses &&
                      (e->direction == CAPTURE_SEND || !f->peer_asked);
        if (need_remote && e->direction == CAPTURE_RECEIVE)
            f->peer_asked = TRUE;
        learn_event = tcp && have_event && !f->remote_known;
        /* What the flow knows: all that is needed, most of the time. */
        *local = f->local;
        *remote = have_event && !tcp ? from_event : f->remote;
    }
    flows_unlock(&flows);
    if (!f)
        return FALSE;
    if (need_local || need_remote || learn_event) {
        /* Asked without the lock: the callback calls the lower provider. */
        if (need_local)
            got_local = ask(e, FALSE, &learnt_local);
        if (need_remote)
            got_remote = ask(e, TRUE, &learnt_remote);
        flows_lock(&flows);
        f = flows_get(&flows, e->socket, tcp, (USHORT)e->af);
        if (f) {
            /* A stream's peer is the flow's; a datagram's is its own. */
            if (tcp && have_event && !got_remote) {
                learnt_remote = from_event;
                got_remote = TRUE;
            }
            if (got_local || got_remote)
                flow_learn(f, got_local ? &learnt_local : NULL,
                           got_remote ? &learnt_remote : NULL);
            *local = f->local;
            *remote = have_event && !tcp ? from_event : f->remote;
        }
        flows_unlock(&flows);
        if (!f)
            return FALSE;
    }
    if (local->family == AF_INET6 && remote->family == AF_INET)
        map_to_v6(remote);
    else if (local->family == AF_INET && remote->family == AF_INET6)
        map_to_v6(local);
    return TRUE;
}

/* Copies the first `want` bytes held by the buffers; returns how many
 * there were. */
static DWORD gather(BYTE *out, DWORD want, const WSABUF *bufs, DWORD count)
{
    DWORD copied = 0;

    for (DWORD i = 0; i < count && copied < want; i++) {
        DWORD n = bufs[i].len < want - copied ? bufs[i].len : want - copied;

        if (n)
            memcpy(out + copied, bufs[i].buf, n);
        copied += n;
    }
    return copied;
}

/* Numbers the record (`r`, or `head` alone when there was no room to copy
 * it) in its flow and queues it. */
static void submit(struct record *head, struct record *r)
{
    struct record *numbered = r ? r : head;
    struct flow *f;
    BOOL queued = FALSE, handshake;

    flows_lock(&flows);
    f = flows_find(&flows, head->socket);
    if (head->tcp && !(f && f->tcp)) {
        /* Closed since its addresses were looked up: nothing to number it in. */
        flows_unlock(&flows);
        free(r);
        return;
    }
    if (head->tcp) {
        /* The end of the stream is seen once; a later empty read is no FIN. */
        if (numbered->kind == RECORD_PEER_FIN && f->peer_fin)
            numbered->kind = RECORD_DATA;
        flow_number(f, numbered);
    }
    /* Read before the push: from then on the writer may free `r`. */
    handshake = head->tcp && numbered->numbers.handshake;
    if (r)
        queued = queue_push(&queue, r);
    else
        queue_drop(&queue);
    if (queued && handshake)
        flow_opened(f);
    flows_unlock(&flows);
    if (r && !queued)
        free(r);
}

/* Whether the buffers had room for at least one byte. */
static BOOL has_room(const WSABUF *bufs, DWORD count)
{
    for (DWORD i = 0; i < count; i++)
        if (bufs[i].len)
            return TRUE;
    return FALSE;
}

/* A stream receive that had room for data and succeeded with none: the
 * peer's FIN. Nothing else that moves 0 bytes is one: an AcceptEx without
 * a receive buffer, a receive into empty buffers (a readiness wait). */
static BOOL end_of_stream(const struct capture_event *e, BOOL tcp)
{
    return tcp && e->direction == CAPTURE_RECEIVE && !e->error && !e->bytes && e->buffers &&
           has_room(e->buffers, e->buffer_count);
}

static void record_event(const struct capture_event *e)
{
    struct record head = { 0 }, *r = NULL;
    BOOL tcp;
    DWORD keep;

    if (!transport_of(e, &tcp) || (e->direction == CAPTURE_RECEIVE && (e->flags & MSG_PEEK)))
        return;
    if (!endpoints(e, tcp, &head.local, &head.remote)) {
        queue_drop(&queue);
        return;
    }
    if (!config_port_wanted(&config, head.local.port) &&
        !config_port_wanted(&config, head.remote.port))
        return;
    head.time = clock_now();
    head.socket = e->socket;
    head.thread_id = e->thread_id ? e->thread_id : GetCurrentThreadId();
    head.kind = end_of_stream(e, tcp) ? RECORD_PEER_FIN : RECORD_DATA;
    head.tcp = (BYTE)tcp;
    head.direction = (BYTE)e->direction;
    head.filter_mark = (BYTE)e->mark;
    head.flags = e->flags;
    head.error = e->error;
    head.bytes = e->error ? 0 : e->bytes;
    /* Without buffers (a transfer from a file, say) only the length is known. */
    keep = !e->buffers ? 0
           : config.snap_length && head.bytes > config.snap_length ? config.snap_length
                                                                    : head.bytes;
    /* A copy larger than the queue's bound could never be queued (and its
     * size could overflow a 32-bit size_t): numbered and dropped only. */
    head.charge = sizeof(struct record) + (keep <= config.queue_bytes ? keep : 0);
    if (keep <= config.queue_bytes && !queue_full_hint(&queue, head.charge))
        r = malloc(head.charge);
    if (r) {
        *r = head;
        r->captured = keep ? gather(r->payload, keep, e->buffers, e->buffer_count) : 0;
    }
    submit(&head, r);
}

void capture_record(const struct capture_event *event)
{
    if (!capture_active)
        return;
    AcquireSRWLockShared(&gate);
    if (capture_active)
        record_event(event);
    ReleaseSRWLockShared(&gate);
}

/* Our FIN for a TCP flow the peer has seen opened. */
static void close_flow(SOCKET s)
{
    struct flow *f;
    struct record *r;

    flows_lock(&flows);
    f = flows_remove(&flows, s);
    flows_unlock(&flows);
    if (!f)
        return;
    /* Out of the table, the flow is ours alone. */
    if (f->tcp && f->opened) {
        r = calloc(1, sizeof(*r));
        if (r) {
            r->charge = sizeof(*r);
            r->time = clock_now();
            r->socket = s;
            r->thread_id = GetCurrentThreadId();
            r->kind = RECORD_CLOSE;
            r->tcp = TRUE;
            r->direction = CAPTURE_SEND;
            r->local = f->local;
            r->remote = f->remote;
            flow_number(f, r);
            if (!queue_push(&queue, r))
                free(r);
        } else {
            queue_drop(&queue);
        }
    }
    free(f);
}

void capture_socket_closed(SOCKET s)
{
    if (!capture_active)
        return;
    AcquireSRWLockShared(&gate);
    if (capture_active)
        close_flow(s);
    ReleaseSRWLockShared(&gate);
}

void capture_shutdown(void)
{
    BOOL exiting, gate_held;

    /* Held: another shutdown is doing the work, or (at process exit) a
     * thread killed inside init or shutdown holds it forever. */
    if (!TryAcquireSRWLockExclusive(&control))
        return;
    if (!running)
        goto out;
    InterlockedExchange(&capture_active, 0);
    /* At process exit a killed thread may hold the gate: no waiting then,
     * and nothing freed (nothing will use it again anyway). */
    exiting = writer_killed(&writer);
    gate_held = exiting ? TryAcquireSRWLockExclusive(&gate) : TRUE;
    if (!exiting)
        AcquireSRWLockExclusive(&gate);
    if (!writer_stop(&writer))
        stuck = TRUE;
    else if (!exiting)
        flows_free(&flows);
    running = FALSE;
    if (gate_held)
        ReleaseSRWLockExclusive(&gate);
out:
    ReleaseSRWLockExclusive(&control);
}
