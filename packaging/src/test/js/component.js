'use strict';

/*
 * The smallest Greengrass component that uses stream manager, with the official JavaScript client
 * (aws-greengrass-core-sdk@1.7.0): connect with the token in its environment, create a stream, append one message.
 *
 * usage: node component.js <stream>
 * env:   STREAM_MANAGER_SERVER_PORT, AWS_CONTAINER_AUTHORIZATION_TOKEN (read by the client itself)
 * out:   "appended <sequence number>", or "error <exception name>: <message>" and exit code 1.
 */

const sm = require('aws-greengrass-core-sdk/stream-manager');

const [streamName] = process.argv.slice(2);
const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

function connect() {
    return new Promise((resolve, reject) => {
        const client = new sm.StreamManagerClient({
            logger,
            onConnectCb: () => resolve(client),
            onErrorCb: (e) => {
                client.close();
                reject(e);
            },
        });
    });
}

// a refused handshake also rejects the constructor's own connect promise, which nobody awaits
process.on('unhandledRejection', () => {});

async function main() {
    const client = await connect();
    try {
        await client.createMessageStream(new sm.MessageStreamDefinition()
            .withName(streamName).withStrategyOnFull(sm.StrategyOnFull.OverwriteOldestData));
        console.log(`appended ${await client.appendMessage(streamName, Buffer.from('hello'))}`);
    } finally {
        client.close();
    }
}

main().catch((e) => {
    console.log(`error ${e.constructor.name}: ${e.message}`);
    process.exitCode = 1;
});
