// SPDX-License-Identifier: MIT
'use strict';
// Usage: node refused.js
//
// Connecting where nothing listens, on 127.0.0.1 and on ::1: net.connect()
// and http.get() must fail with ECONNREFUSED, and the socket must close.
// The port is one a server just had and gave up, so nothing listens there.

const http = require('http');
const net = require('net');
const { harness, once, LOOPBACKS } = require('./harness');

async function freePort(host) {
    const server = net.createServer();
    server.listen(0, host);
    await once(server, 'listening');
    const { port } = server.address();
    server.close();
    await once(server, 'close');
    return port;
}

// Waits for SOCKET (or request) to fail, and checks that it failed as refused.
async function refused(t, emitter, what) {
    const [event, err] = await once(emitter, 'connect', 'error');
    t.check(event === 'error' && err.code === 'ECONNREFUSED',
            `${what}: ${event === 'error' ? err.code : 'connected'}, expected ECONNREFUSED`);
    return t.elapsed();
}

harness('refused').run(async (t) => {
    for (const { host, family } of LOOPBACKS) {
        const port = await freePort(host);

        t.step(`${family}: net.connect() to port ${port}, where nothing listens`);
        const socket = net.connect(port, host);
        // Node emits 'close' right after 'error': listen before either.
        const closed = new Promise((resolve) => socket.on('close', resolve));
        const seconds = await refused(t, socket, `${family}: net.connect()`);
        const hadError = await closed;
        t.equal(hadError, true, `${family}: close after the refusal had an error`);
        t.say(`ok ${family}: net.connect() refused in ${seconds} s`);

        t.step(`${family}: http.get() to port ${port}, where nothing listens`);
        const req = http.get({ host, port, path: '/', agent: false });
        t.say(`ok ${family}: http.get() refused in ${await refused(t, req, `${family}: http.get()`)} s`);
    }
});
