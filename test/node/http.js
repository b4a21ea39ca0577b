// SPDX-License-Identifier: MIT
'use strict';
// Usage: node http.js [GETS] [--expect FILE] [--proxied]
//
// An HTTP server and client in one process on 127.0.0.1: GETS GETs (default
// 100) over keep-alive connections, as many again each on a connection of
// its own, then one 16 MiB POST. Every response body is checked byte for
// byte; the POST's body by its length and SHA-256, which the server
// computes from what it received. Each connection's byte counts must agree
// at both ends.
//
// --expect FILE writes what a capture of this process must show, for
// test/node_capture.sh: a line "request METHOD URI" per request, and a line
// "conn PORT SENT RECEIVED" per connection, in the order they were made
// (the client's port, the bytes the client sent and received).
// --proxied: the connections go through a proxy, so the server cannot name
// the client's port; the byte totals of both ends must agree instead.

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const { harness, once } = require('./harness');

const POST_BYTES = 16 << 20;
const CHUNK = 64 << 10;
const KEEP_ALIVE_SOCKETS = 4;

const args = process.argv.slice(2);
const expectAt = args.indexOf('--expect');
const expectFile = expectAt >= 0 ? args.splice(expectAt, 2)[1] : null;
const proxiedAt = args.indexOf('--proxied');
const proxied = proxiedAt >= 0 && args.splice(proxiedAt, 1).length > 0;
const gets = Number(args[0] || 100);

// The body of GET /get/I: its length and its bytes depend on I.
function getBody(i) {
    return Buffer.alloc(64 + (i * 997) % 8192, `${i};`);
}

function startServer(t) {
    const server = http.createServer((req, res) => {
        const get = /^\/get\/(\d+)$/.exec(req.url);
        if (req.method === 'GET' && get) {
            res.end(getBody(Number(get[1])));
        } else if (req.method === 'POST' && req.url === '/upload') {
            const hash = crypto.createHash('sha256');
            let bytes = 0;
            req.on('data', (chunk) => { hash.update(chunk); bytes += chunk.length; });
            req.on('end', () => {
                res.setHeader('Content-Type', 'application/json');
                res.end(JSON.stringify({ bytes, sha256: hash.digest('hex') }));
            });
        } else {
            res.statusCode = 404;
            res.end();
        }
    });
    // Every connection the server accepted, with its counts once closed.
    server.accepted = [];
    server.on('connection', (socket) => {
        const conn = { port: socket.remotePort, closed: once(socket, 'close') };
        conn.closed.then(() => {
            conn.read = socket.bytesRead;
            conn.written = socket.bytesWritten;
        });
        server.accepted.push(conn);
    });
    server.on('clientError', (err) => t.check(false, `server: client error ${err.code}`));
    return server;
}

// Sends one request; resolves with the response and its whole body.
// CLIENTS gets each new socket of the client, with its port, when it
// connects, in that order, for the byte counts: one port may serve one
// connection after another.
function request(port, options, clients, body) {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
            res.on('error', reject);
        });
        req.on('socket', (socket) => {
            if (clients.seen.has(socket)) return;
            clients.seen.add(socket);
            socket.once('connect', () => clients.push({ socket, port: socket.localPort }));
        });
        req.on('error', reject);
        if (body) body(req); else req.end();
    });
}

async function getRange(t, port, options, clients, from, to, log) {
    for (let i = from; i < to; i++) {
        const path = `/get/${i}`;
        log.push(`request GET ${path}`);
        const { res, body } = await request(port, { ...options, path }, clients);
        t.check(res.statusCode === 200 && body.equals(getBody(i)),
                `GET ${path}: status ${res.statusCode}, ${body.length} bytes, ` +
                `expected 200 and ${getBody(i).length} bytes as made`);
    }
}

async function main(t) {
    const server = startServer(t);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = server.address().port;
    const clients = Object.assign([], { seen: new Set() });
    const log = [];

    t.step(`${gets} GETs on ${KEEP_ALIVE_SOCKETS} keep-alive connections`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: KEEP_ALIVE_SOCKETS });
    const share = Math.ceil(gets / KEEP_ALIVE_SOCKETS);
    const workers = [];
    for (let from = 0; from < gets; from += share) {
        workers.push(getRange(t, port, { agent }, clients, from, Math.min(from + share, gets), log));
    }
    await Promise.all(workers);
    const kept = server.accepted.length;
    t.check(kept >= 1 && kept <= KEEP_ALIVE_SOCKETS,
            `keep-alive: ${kept} connections for ${gets} GETs, expected 1 to ${KEEP_ALIVE_SOCKETS}`);
    t.say(`ok ${gets} GETs on ${kept} keep-alive connections (${t.elapsed()} s)`);
    agent.destroy();

    t.step(`${gets} GETs, each on its own connection`);
    const close = { agent: false, headers: { Connection: 'close' } };
    await getRange(t, port, close, clients, gets, 2 * gets, log);
    t.equal(server.accepted.length - kept, gets, 'connections for GETs without keep-alive');
    t.say(`ok ${gets} GETs without keep-alive (${t.elapsed()} s)`);

    t.step(`POST of ${POST_BYTES} bytes`);
    const sent = crypto.createHash('sha256');
    log.push('request POST /upload');
    const post = await request(port, {
        method: 'POST', path: '/upload', agent: false,
        headers: { 'Content-Length': POST_BYTES, 'Content-Type': 'application/octet-stream' },
    }, clients, async (req) => {
        for (let done = 0; done < POST_BYTES; done += CHUNK) {
            const chunk = crypto.randomBytes(CHUNK);
            sent.update(chunk);
            if (!req.write(chunk)) await once(req, 'drain');
        }
        req.end();
    });
    const answer = JSON.parse(post.body.toString());
    t.equal(answer.bytes, POST_BYTES, 'POST: bytes the server received');
    t.equal(answer.sha256, sent.digest('hex'), 'POST: SHA-256 of what the server received');
    t.say(`ok POST of ${POST_BYTES} bytes (${t.elapsed()} s)`);

    t.step('closing: every connection counted at both ends');
    for (const { socket } of clients) socket.destroy();
    await Promise.all(server.accepted.map((conn) => conn.closed));
    // Through a proxy (test/filters_socks5.sh) the server's peer is the
    // proxy, not the client's port: the totals must agree instead.
    if (proxied) {
        const sum = (list, f) => list.reduce((n, x) => n + f(x), 0);
        t.equal(sum(server.accepted, (c) => c.read), sum(clients, (c) => c.socket.bytesWritten),
                'bytes the clients sent, all received by the server');
        t.equal(sum(server.accepted, (c) => c.written), sum(clients, (c) => c.socket.bytesRead),
                'bytes the server sent, all received by the clients');
        t.equal(clients.length, server.accepted.length, 'connections at the client and at the server');
        t.say(`ok ${clients.length} connections, the byte totals the same at both ends`);
        server.close();
        await once(server, 'close');
        return;
    }
    // The server's connections from each port, in the order it accepted them.
    const byPort = new Map();
    for (const conn of server.accepted) byPort.set(conn.port, [...byPort.get(conn.port) || [], conn]);
    let agree = 0;
    for (const { socket, port } of clients) {
        const conn = (byPort.get(port) || []).shift();
        if (t.check(conn, `client port ${port}: no connection at the server`) &&
            t.check(conn.read === socket.bytesWritten && conn.written === socket.bytesRead,
                    `port ${port}: the client sent ${socket.bytesWritten} and received ` +
                    `${socket.bytesRead} bytes, the server received ${conn.read} and sent ${conn.written}`)) {
            agree++;
            log.push(`conn ${port} ${conn.read} ${conn.written}`);
        }
    }
    t.equal(clients.length, server.accepted.length, 'connections at the client and at the server');
    t.say(`ok ${agree} connections, their byte counts the same at both ends`);
    server.close();
    await once(server, 'close');

    if (expectFile) fs.writeFileSync(expectFile, log.join('\n') + '\n');
}

harness('http').run(main);
