// SPDX-License-Identifier: MIT
'use strict';
// Usage: node udp.js [ROUNDS]
//
// UDP through `dgram`, udp4 on 127.0.0.1 and udp6 on ::1: ROUNDS (default
// 200) ping-pong round trips between two sockets, datagrams of 1 to 8000
// bytes, each answer checked against its question, byte for byte and by
// its source. Then close() on a socket with a receive pending (bound, so
// libuv has a read posted, and nothing ever sent to it): it must close.

const crypto = require('crypto');
const dgram = require('dgram');
const { harness, once, LOOPBACKS } = require('./harness');

const rounds = Number(process.argv[2] || 200);

async function bound(type, host) {
    const socket = dgram.createSocket(type);
    socket.bind(0, host);
    await once(socket, 'listening');
    return socket;
}

async function pingPong(t, { host, family, udp }) {
    t.step(`${rounds} ${udp} round trips`);
    const pong = await bound(udp, host);
    pong.on('message', (msg, from) => pong.send(msg, from.port, from.address));
    const ping = await bound(udp, host);
    const pongPort = pong.address().port;

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
    ping.close();
    pong.close();
    await Promise.all([once(ping, 'close'), once(pong, 'close')]);

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
