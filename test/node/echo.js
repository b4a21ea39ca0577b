// SPDX-License-Identifier: MIT
'use strict';
// Usage: node echo.js [MIB]
//
// A TCP echo through `net` over 127.0.0.1, then over ::1: the client sends
// MIB MiB (default 32) of random bytes in 64 KiB writes and half-closes; the
// server writes back all it reads and closes when the client's end comes.
// The client checks that it got back exactly as many bytes as it sent, with
// the same SHA-256, and reports how many reads that took.

const crypto = require('crypto');
const net = require('net');
const { harness, once, LOOPBACKS } = require('./harness');

const CHUNK = 64 << 10;
const total = Number(process.argv[2] || 32) << 20;

async function echo(t, { host, family }) {
    t.step(`echo of ${total} bytes over ${family}`);
    // allowHalfOpen: the server's side stays open for writing after the
    // client's end, and pipe() ends it once everything is written back.
    const server = net.createServer({ allowHalfOpen: true }, (socket) => socket.pipe(socket));
    server.listen(0, host);
    await once(server, 'listening');

    const client = net.connect(server.address().port, host);
    await once(client, 'connect');
    t.equal(client.remoteFamily, family, `${family}: the connection's family`);

    const received = crypto.createHash('sha256');
    let bytes = 0;
    let reads = 0;
    client.on('data', (chunk) => { received.update(chunk); bytes += chunk.length; reads++; });
    const ended = once(client, 'end');

    const sent = crypto.createHash('sha256');
    for (let done = 0; done < total; done += CHUNK) {
        const chunk = crypto.randomBytes(CHUNK);
        sent.update(chunk);
        if (!client.write(chunk)) await once(client, 'drain');
    }
    client.end();
    await ended;

    t.equal(bytes, total, `${family}: bytes echoed`);
    t.equal(received.digest('hex'), sent.digest('hex'), `${family}: SHA-256 of the bytes echoed`);
    const seconds = t.elapsed();
    t.say(`ok ${family}: ${total} bytes echoed in ${reads} reads, ${seconds} s ` +
          `(${(2 * total / (1 << 20) / seconds).toFixed(1)} MiB/s both ways)`);
    client.destroy();
    server.close();
    await once(server, 'close');
}

harness('echo').run(async (t) => {
    for (const loopback of LOOPBACKS) await echo(t, loopback);
});
