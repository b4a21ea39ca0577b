// SPDX-License-Identifier: MIT
'use strict';
// Usage: node udp.js [ROUNDS] [--server PORT]
//
// UDP through `dgram`, udp4 on 127.0.0.1 and udp6 on ::1: ROUNDS (default
// 200) ping-pong round trips between two sockets, datagrams of 1 to 8000
// bytes, each answer checked against its question, byte for byte and by
// its source. Then close() on a socket with a receive pending (bound, so
// libuv has a read posted, and nothing ever sent to it): it must close.
// --server PORT: udp4's questions go to the echo server of another
// program at 127.0.0.1:PORT (through a SOCKS5 relay, for
// test/filters_socks5.sh), not to this one's own.

const crypto = require('crypto');
const dgram = require('dgram');
const { harness, once, LOOPBACKS } = require('./harness');

const args = process.argv.slice(2);
const serverAt = args.indexOf('--server');
const echoPort = serverAt >= 0 ? Number(args.splice(serverAt, 2)[1]) : 0;
const rounds = Number(args[0] || 200);

async function bound(type, host) {
    const socket = dgram.createSocket(type);
    socket.bind(0, host);
    await once(socket, 'listening');
    return socket;
}

async function pingPong(t, { host, family, udp }) {
    const external = echoPort && udp === 'udp4';
    t.step(`${rounds} ${udp} round trips${external ? ` with 127.0.0.1:${echoPort}` : ''}`);
    const pong = external ? null : await bound(udp, host);
    if (pong) pong.on('message', (msg, from) => pong.send(msg, from.port, from.address));
    const ping = await bound(udp, host);
    const pongPort = pong ? pong.address().port : echoPort;

    let good = 0;
    for (let i = 0; i < rounds; i++) {
        const question = crypto.randomBytes(1 + (i * 331) % 8000);
        const answered = once(ping, 'message');
        ping.send(question, pongPort, host);
        const [, answer, from] = await answered;
        if (t.check(answer.equals(question) && from.port === pongPort && from.address === host,
                    `${udp} round ${i}: ${answer.length} bytes from ${from.address}:${from.port}, ` +
                    `expected the ${question.length} bytes sent, from ${host}:${pongPort}`)) {
            good++;
        }
    }
    const seconds = t.elapsed();
    t.say(`ok ${udp}: ${good} of ${rounds} round trips, ${seconds} s ` +
          `(${(rounds / seconds).toFixed(0)} per second)`);
    const closing = [ping, pong].filter(Boolean);
    for (const socket of closing) socket.close();
    await Promise.all(closing.map((socket) => once(socket, 'close')));

    t.step(`${udp}: close() with a receive pending`);
    const idle = await bound(udp, host);
    idle.on('message', () => t.check(false, `${udp}: a datagram nobody sent`));
    t.equal(idle.address().family, family, `${udp}: the socket's family`);
    // Let the event loop turn, so that the read is really posted.
    await new Promise((resolve) => setTimeout(resolve, 100));
    idle.close();
    await once(idle, 'close');
    t.say(`ok ${udp}: closed with a receive pending (${t.elapsed()} s)`);
}

harness('udp').run(async (t) => {
    for (const loopback of LOOPBACKS) await pingPong(t, loopback);
});
