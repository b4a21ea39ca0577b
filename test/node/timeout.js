// SPDX-License-Identifier: MIT
'use strict';
// Usage: node timeout.js
//
// Sockets ended while I/O is pending, over 127.0.0.1, then over ::1:
// - a read time-out: the server never writes; the client's setTimeout()
//   fires, and destroy() with its read pending closes the socket, whose
//   peer then sees the end;
// - destroy() with writes pending: the server does not read, so the
//   client's writes back up; destroy() must close the socket at once and
//   fail the writes that never went out, and the server, reading again,
//   gets a prefix of what was written, at least what was sent, then the end.

const net = require('net');
const { harness, once, LOOPBACKS } = require('./harness');

const IDLE_MS = 300;
const CHUNK = 1 << 20;
const HELD_BACK = 8 * CHUNK;
const MAX_QUEUED = 256 * CHUNK;

// A server on HOST and a client connected to it; resolves with both ends.
async function pair(host) {
    const server = net.createServer();
    server.listen(0, host);
    await once(server, 'listening');
    const accepted = once(server, 'connection');
    const client = net.connect(server.address().port, host);
    await once(client, 'connect');
    const [, peer] = await accepted;
    server.close();
    return { client, peer };
}

async function readTimeout(t, { host, family }) {
    t.step(`${family}: setTimeout(${IDLE_MS}) with a read pending`);
    const { client, peer } = await pair(host);
    const peerClosed = once(peer, 'close');
    client.on('data', () => t.check(false, `${family}: data nobody sent`));
    client.setTimeout(IDLE_MS);
    await once(client, 'timeout');
    const waited = t.elapsed();
    t.check(waited >= IDLE_MS / 1000 * 0.9, `${family}: 'timeout' after ${waited} s, before ${IDLE_MS} ms`);
    client.destroy();
    const [, hadError] = await once(client, 'close');
    t.equal(hadError, false, `${family}: the client's close after destroy() had an error`);
    await peerClosed;
    t.say(`ok ${family}: timed out after ${waited} s, both ends closed (${t.elapsed()} s)`);
}

// Chunk K of the writes below is K % 256 repeated, so that the server can
// tell that what it got is a prefix of what was written.
function chunk(k) {
    return Buffer.alloc(CHUNK, k % 256);
}

// The number of bytes of DATA, which starts at OFFSET of the stream, that
// are what chunk() wrote there.
function prefixLength(data, offset) {
    let good = 0;
    while (good < data.length) {
        const at = offset + good;
        const run = Math.min(data.length - good, CHUNK - at % CHUNK);
        if (!data.subarray(good, good + run).equals(chunk(Math.floor(at / CHUNK)).subarray(0, run))) break;
        good += run;
    }
    return good;
}

async function destroyWriting(t, { host, family }) {
    t.step(`${family}: destroy() with writes pending`);
    const { client, peer } = await pair(host);
    peer.pause();
    const written = { ok: 0, failed: 0 };
    let queued = 0;
    // Writes until the socket holds back several chunks: one is then under
    // way below Node (a send pending in Winsock), the others wait in Node.
    while (client.writableLength < HELD_BACK && queued < MAX_QUEUED) {
        client.write(chunk(queued / CHUNK), (err) => { written[err ? 'failed' : 'ok']++; });
        queued += CHUNK;
        if (client.writableLength >= CHUNK) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const pending = client.writableLength;
    t.check(pending >= HELD_BACK, `${family}: only ${pending} bytes held back after ${queued} bytes`);
    client.destroy();
    await once(client, 'close');
    t.check(written.failed > 0, `${family}: destroy() with ${pending} bytes pending failed no write`);

    // The peer reads again: what went out, then the end (or a reset, if
    // the client's system dropped what it had not sent).
    let received = 0;
    let good = 0;
    peer.on('data', (data) => { good += prefixLength(data, received); received += data.length; });
    peer.on('error', () => {});
    peer.resume();
    await once(peer, 'close');
    // Node ends the write that was under way without an error, though it
    // may have gone out only in part: the others that succeeded went out.
    const sent = (written.ok - 1) * CHUNK;
    t.check(good === received && received >= sent && received <= queued,
            `${family}: the server received ${received} bytes, ${good} as written; ` +
            `expected between the ${sent} bytes of the writes that succeeded and the ${queued} written`);
    t.say(`ok ${family}: destroyed with ${pending} of ${queued} bytes held back; ` +
          `${written.failed} writes failed, the server got ${received} bytes and the end (${t.elapsed()} s)`);
}

harness('timeout').run(async (t) => {
    for (const loopback of LOOPBACKS) {
        await readTimeout(t, loopback);
        await destroyWriting(t, loopback);
    }
});
