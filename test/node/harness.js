// SPDX-License-Identifier: MIT
'use strict';
// What every program of test/node/ shares: it counts checks, bounds itself in
// time, and ends with the one line scripts/run-tests.sh takes as its verdict,
// "N passed, M failed", exiting 0 only when N > 0 and M = 0.
//
// The time limit stays below the runner's TEST_TIMEOUT (120 s), so that a
// hang is reported here, with the step it hung in, rather than as a kill.

const LIMIT_SECONDS = 90;

function harness(name, limitSeconds = LIMIT_SECONDS) {
    let passed = 0;
    let failed = 0;
    let step = 'start';
    let stepStarted = Date.now();

    const say = (text) => console.log(`${name}: ${text}`);

    function finish() {
        console.log(`${passed} passed, ${failed} failed`);
        process.exit(failed === 0 && passed > 0 ? 0 : 1);
    }

    // Referenced (not unref'd): a program stuck with nothing left to run
    // still reaches this, instead of exiting quietly.
    setTimeout(() => {
        failed++;
        say(`FAIL: no end after ${limitSeconds} s, in step: ${step}`);
        finish();
    }, limitSeconds * 1000);

    process.on('uncaughtException', (err) => {
        failed++;
        say(`FAIL: uncaught in step ${step}: ${err && err.stack || err}`);
        finish();
    });

    const t = {
        say,
        // Names what the program does now; a time-out reports it.
        step(what) {
            step = what;
            stepStarted = Date.now();
        },
        // Seconds since the current step began.
        elapsed() {
            return (Date.now() - stepStarted) / 1000;
        },
        check(ok, what) {
            if (ok) {
                passed++;
            } else {
                failed++;
                say(`FAIL: ${what}`);
            }
            return ok;
        },
        equal(actual, expected, what) {
            return t.check(actual === expected,
                           `${what}: got ${actual}, expected ${expected}`);
        },
        // Runs the program's async main, then prints the verdict and exits.
        run(main) {
            main(t).catch((err) => {
                failed++;
                say(`FAIL: in step ${step}: ${err && err.stack || err}`);
            }).then(finish);
        },
    };
    return t;
}

// Resolves with the first of EVENTS that EMITTER emits, as [event, args...];
// rejects on 'error' unless 'error' is among EVENTS.
function once(emitter, ...events) {
    return new Promise((resolve, reject) => {
        const handlers = new Map();
        const done = (fn, value) => {
            for (const [event, handler] of handlers) emitter.off(event, handler);
            fn(value);
        };
        for (const event of events) {
            handlers.set(event, (...args) => done(resolve, [event, ...args]));
        }
        if (!events.includes('error')) handlers.set('error', (err) => done(reject, err));
        for (const [event, handler] of handlers) emitter.on(event, handler);
    });
}

// The loopback addresses every program uses, with the family Node names.
const LOOPBACKS = [
    { host: '127.0.0.1', family: 'IPv4', udp: 'udp4' },
    { host: '::1', family: 'IPv6', udp: 'udp6' },
];

module.exports = { harness, once, LOOPBACKS };
