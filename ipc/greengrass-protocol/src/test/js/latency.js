'use strict';

/*
 * Sequential appends through the official AWS IoT Greengrass Stream Manager JavaScript client (npm
 * aws-greengrass-core-sdk@1.7.0), unchanged: one request in flight, 1 KiB each, as a sensor loop would do it.
 * Usage: node latency.js COUNT (port and token from STREAM_MANAGER_SERVER_PORT, AWS_CONTAINER_AUTHORIZATION_TOKEN).
 * Prints one line: "latency n=COUNT median=MS p90=MS max=MS" (milliseconds per append, as the caller waits).
 *
 * The client writes each frame as two socket writes without TCP_NODELAY; a server that lets the kernel delay its
 * ACKs makes every request here take about 40 ms (see QuickAckHandler).
 */

const sm = require('aws-greengrass-core-sdk/stream-manager');

const COUNT = Number(process.argv[2] || 200);
const quiet = { error: (...a) => console.error('[client]', ...a), warn: () => {}, info: () => {}, debug: () => {} };

const client = new sm.StreamManagerClient({
    logger: quiet,
    onConnectCb: () => run().catch((e) => {
        console.error(e);
        process.exit(1);
    }),
    onErrorCb: (e) => {
        console.error('cannot connect:', e);
        process.exit(2);
    },
});

async function run() {
    const stream = `latency-${process.pid}`;
    await client.createMessageStream(new sm.MessageStreamDefinition()
        .withName(stream).withStrategyOnFull(sm.StrategyOnFull.OverwriteOldestData));
    const payload = Buffer.alloc(1024, 'x');
    await client.appendMessage(stream, payload); // the first request of a connection is not measured
    const millis = [];
    for (let i = 0; i < COUNT; i++) {
        const started = process.hrtime.bigint();
        await client.appendMessage(stream, payload);
        millis.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    millis.sort((a, b) => a - b);
    const at = (q) => millis[Math.min(millis.length - 1, Math.floor(q * millis.length))].toFixed(3);
    console.log(`latency n=${COUNT} median=${at(0.5)} p90=${at(0.9)} max=${millis[millis.length - 1].toFixed(3)}`);
    await client.deleteMessageStream(stream);
    client.close();
}
