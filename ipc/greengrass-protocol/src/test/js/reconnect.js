'use strict';

/*
 * A daemon restart under the official JavaScript client (npm aws-greengrass-core-sdk@1.7.0), used as README.md's
 * troubleshooting section advises: after the connection is lost, one call is awaited alone (it reconnects), and only
 * then are calls issued concurrently. (Concurrent calls while the client is disconnected each open a socket of their
 * own, and the client then reads only the newest one: some answers are never read. That is the client's doing.)
 *
 * usage: node reconnect.js STREAM   (port and token from STREAM_MANAGER_SERVER_PORT, AWS_CONTAINER_AUTHORIZATION_TOKEN)
 * protocol: prints "connected" once the stream exists, then waits for the line "restarted" on stdin;
 *           then prints "first <sequence number>" and "concurrent <JSON sequence numbers>", or "timeout <what>".
 */

const readline = require('node:readline');
const sm = require('aws-greengrass-core-sdk/stream-manager');

const [streamName] = process.argv.slice(2);
const CALL_TIMEOUT_MS = 10_000;
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

// the client's reconnect attempts while the daemon is down reject promises nobody awaits
process.on('unhandledRejection', () => {});

function within(promise, what) {
    return Promise.race([promise, new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error(`timeout ${what}`)), CALL_TIMEOUT_MS).unref();
    })]);
}

async function main() {
    const client = await new Promise((resolve, reject) => {
        const c = new sm.StreamManagerClient({ logger: quiet, onConnectCb: () => resolve(c), onErrorCb: () => {} });
        setTimeout(() => reject(new Error('timeout connect')), CALL_TIMEOUT_MS).unref();
    });
    await client.createMessageStream(new sm.MessageStreamDefinition()
        .withName(streamName).withStrategyOnFull(sm.StrategyOnFull.OverwriteOldestData));
    await client.appendMessage(streamName, Buffer.from('before'));
    console.log('connected');

    const { value } = await lines.next();
    if (value !== 'restarted') throw new Error(`expected "restarted", got ${value}`);

    console.log(`first ${await within(client.appendMessage(streamName, Buffer.from('first')), 'first')}`);
    const concurrent = [];
    for (let i = 0; i < 10; i++) {
        concurrent.push(within(client.appendMessage(streamName, Buffer.from(`concurrent ${i}`)), `concurrent ${i}`));
    }
    console.log(`concurrent ${JSON.stringify(await Promise.all(concurrent))}`);
    client.close();
}

main().then(() => process.exit(0), (e) => {
    console.log(e.message.startsWith('timeout') ? e.message : `error ${e.message}`);
    process.exit(1);
});
