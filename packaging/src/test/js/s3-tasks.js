'use strict';

/*
 * The S3 upload flow of the AWS samples, with the official Stream Manager JavaScript client
 * (aws-greengrass-core-sdk@1.7.0): create a status stream and a stream whose s3TaskExecutor export reports to it,
 * append S3ExportTaskDefinitions serialised by the SDK's own util, then read the status stream and parse each
 * message with util.deserializeJsonBytesToObj(bytes, StatusMessage), until every task has a final status.
 *
 * usage: node s3-tasks.js <task stream> <status stream> <tasks as JSON> [delete-after-append | warning-is-final]
 *        (warning-is-final: a task that got a Warning counts as finished, for destinations that cannot start)
 *        tasks: [{"inputUrl": "file:/...", "bucket": "...", "key": "...", "userMetadata": {...}}, ...]
 * env:   STREAM_MANAGER_SERVER_PORT, AWS_CONTAINER_AUTHORIZATION_TOKEN (read by the client itself)
 * out:   "appended <sequence numbers as JSON>", one "status <JSON>" line per status message read (status name,
 *        level, sequence number, bucket, key, message), then "done"; or "error <message>" and exit code 1.
 */

const sm = require('aws-greengrass-core-sdk/stream-manager');

const [taskStream, statusStream, tasksJson, mode] = process.argv.slice(2);
const tasks = JSON.parse(tasksJson);
const WAIT_MS = 90_000;
const FINAL = new Set(['Success', 'Failure', 'Canceled']);

const logger = { error: (...a) => console.error('[client]', ...a), warn: () => {}, info: () => {}, debug: () => {} };

function connect() {
    return new Promise((resolve, reject) => {
        const client = new sm.StreamManagerClient({ logger, onConnectCb: () => resolve(client), onErrorCb: reject });
    });
}

function name(enumType, value) {
    return Object.keys(enumType.options).find((k) => enumType.options[k] === value.asMap());
}

async function main() {
    const client = await connect();
    try {
        await client.createMessageStream(new sm.MessageStreamDefinition()
            .withName(statusStream)
            .withStrategyOnFull(sm.StrategyOnFull.OverwriteOldestData)
            .withPersistence(sm.Persistence.Memory));
        await client.createMessageStream(new sm.MessageStreamDefinition()
            .withName(taskStream)
            .withStrategyOnFull(sm.StrategyOnFull.OverwriteOldestData)
            .withExportDefinition(new sm.ExportDefinition().withS3TaskExecutor([new sm.S3ExportTaskExecutorConfig()
                .withIdentifier('to-s3')
                .withStatusConfig(new sm.StatusConfig()
                    .withStatusLevel(sm.StatusLevel.INFO)
                    .withStatusStreamName(statusStream))])));

        const sequenceNumbers = [];
        for (const task of tasks) {
            const definition = new sm.S3ExportTaskDefinition()
                .withInputUrl(task.inputUrl).withBucket(task.bucket).withKey(task.key);
            if (task.userMetadata) definition.withUserMetadata(task.userMetadata);
            sequenceNumbers.push(await client.appendMessage(taskStream,
                sm.util.validateAndSerializeToJsonBytes(definition)));
        }
        console.log(`appended ${JSON.stringify(sequenceNumbers)}`);
        if (mode === 'delete-after-append') {
            await client.deleteMessageStream(taskStream);
        }

        const finished = new Set();
        let next = 0;
        const deadline = Date.now() + WAIT_MS;
        while (finished.size < sequenceNumbers.length) {
            if (Date.now() > deadline) throw new Error(`no final status for every task within ${WAIT_MS} ms`);
            let messages = [];
            try {
                messages = await client.readMessages(statusStream, new sm.ReadMessagesOptions()
                    .withDesiredStartSequenceNumber(next).withMinMessageCount(1).withMaxMessageCount(100)
                    .withReadTimeoutMillis(1000));
            } catch (e) {
                if (!(e instanceof sm.NotEnoughMessagesException)) throw e;
            }
            for (const m of messages) {
                next = m.sequenceNumber + 1;
                const status = sm.util.deserializeJsonBytesToObj(m.payload, sm.StatusMessage);
                const context = status.statusContext;
                const definition = context.s3ExportTaskDefinition;
                const line = {
                    status: name(sm.Status, status.status),
                    statusLevel: name(sm.StatusLevel, status.statusLevel),
                    eventType: name(sm.EventType, status.eventType),
                    sequenceNumber: context.sequenceNumber,
                    streamName: context.streamName,
                    exportIdentifier: context.exportIdentifier,
                    bucket: definition ? definition.bucket : null,
                    key: definition ? definition.key : null,
                    message: status.message,
                    timestampEpochMs: status.timestampEpochMs,
                };
                console.log(`status ${JSON.stringify(line)}`);
                if (FINAL.has(line.status) || (mode === 'warning-is-final' && line.status === 'Warning')) {
                    finished.add(line.sequenceNumber);
                }
            }
        }
        console.log('done');
    } finally {
        client.close();
    }
}

main().then(() => process.exit(0), (e) => {
    console.log(`error ${e && e.message ? e.message : e}`);
    process.exit(1);
});
