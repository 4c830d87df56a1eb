'use strict';

/*
 * A Greengrass component as the AWS samples write one: with the official Stream Manager JavaScript client
 * (aws-greengrass-core-sdk@1.7.0) it creates a stream that exports to Kinesis, appends messages, and waits until
 * describeMessageStream reports them all exported.
 *
 * usage: node kinesis-producer.js <stream> <kinesis stream> <count> <batch size>
 * env:   STREAM_MANAGER_SERVER_PORT, AWS_CONTAINER_AUTHORIZATION_TOKEN (read by the client itself)
 * out:   "appended <first> <last>", then "status <JSON of the export status>" once the last message is exported,
 *        or "error <message>" and exit code 1.
 */

const sm = require('aws-greengrass-core-sdk/stream-manager');

const [streamName, kinesisStream, countText, batchSizeText] = process.argv.slice(2);
const count = Number(countText);
const WAIT_MS = 60_000;

const logger = { error: (...a) => console.error('[client]', ...a), warn: () => {}, info: () => {}, debug: () => {} };

function connect() {
    return new Promise((resolve, reject) => {
        const client = new sm.StreamManagerClient({
            logger,
            onConnectCb: () => resolve(client),
            onErrorCb: (e) => reject(e),
        });
    });
}

async function main() {
    const client = await connect();
    try {
        const exportDefinition = new sm.ExportDefinition().withKinesis([new sm.KinesisConfig()
            .withIdentifier('to-kinesis')
            .withKinesisStreamName(kinesisStream)
            .withBatchSize(Number(batchSizeText))]);
        await client.createMessageStream(new sm.MessageStreamDefinition()
            .withName(streamName)
            .withStrategyOnFull(sm.StrategyOnFull.OverwriteOldestData)
            .withPersistence(sm.Persistence.File)
            .withExportDefinition(exportDefinition));

        let first = -1;
        let last = -1;
        for (let i = 0; i < count; i++) {
            const payload = Buffer.from(JSON.stringify({ reading: i, unit: 'C', value: 20 + (i % 7) / 10 }));
            last = await client.appendMessage(streamName, payload);
            if (first < 0) first = last;
        }
        console.log(`appended ${first} ${last}`);

        const deadline = Date.now() + WAIT_MS;
        for (;;) {
            const info = await client.describeMessageStream(streamName);
            const status = (info.exportStatuses || [])[0];
            if (status && status.lastExportedSequenceNumber >= last) {
                console.log(`status ${JSON.stringify(status.asMap ? status.asMap() : status)}`);
                return;
            }
            if (Date.now() > deadline) {
                throw new Error(`not exported within ${WAIT_MS} ms: ${JSON.stringify(status && status.asMap())}`);
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    } finally {
        client.close();
    }
}

main().then(() => process.exit(0), (e) => {
    console.log(`error ${e && e.message ? e.message : e}`);
    process.exit(1);
});
