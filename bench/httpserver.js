// SPDX-License-Identifier: MIT
'use strict';
// Usage: node httpserver.js
//
// Node.js's side of bench/run.sh's ab workloads: an HTTP server on
// 127.0.0.1, port chosen by the system; prints "listening PORT", answers
// GET / with a 128-byte body, and GET /quit by closing and ending the
// program. Run by hand, node.exe needs its output in a file, not a pipe.

const http = require('http');

const body = Buffer.alloc(128, 'n');
const server = http.createServer((req, res) => {
    if (req.url === '/quit') {
        res.end('bye\n', () => {
            server.close();
            server.closeAllConnections();
        });
        return;
    }
    // Set by hand: to an HTTP/1.0 request (ab's) Node answers without a
    // length, closing the connection, unless the length is set.
    res.setHeader('Content-Type', 'text/plain');
    res.setHeader('Content-Length', body.length);
    res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
