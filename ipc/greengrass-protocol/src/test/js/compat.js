'use strict';

/*
 * Compatibility suite: drives a running edgestream server through the official AWS IoT Greengrass Stream Manager
 * JavaScript client (npm aws-greengrass-core-sdk@1.7.0, module aws-greengrass-core-sdk/stream-manager), used exactly
 * as a Greengrass component uses it: port and token come from STREAM_MANAGER_SERVER_PORT and
 * AWS_CONTAINER_AUTHORIZATION_TOKEN.
 *
 * Run by OfficialJsClientCompatibilityTest, which reads stdout line by line:
 *   "ok <case>" or "not ok <case> :: <reason>"  one line per case;
 *   "advance-clock <ms>"                        asks the test to move the server's clock, which then writes
 *                                               "advanced <ms>" to our stdin;
 *   "done <passed> <failed>"                    the last line.
 * The environment variable COMPAT_CLOCK_MILLIS is the server clock's time at the start.
 */

const assert = require('node:assert/strict');
const readline = require('node:readline');
const sm = require('aws-greengrass-core-sdk/stream-manager');

const CASE_TIMEOUT_MS = 30_000;
const TOKEN = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
const CLOCK_START = Number(process.env.COMPAT_CLOCK_MILLIS);

// The client logs every connection event; keep its errors (on stderr, for a failing run) and drop the chatter.
const logger = {
    error: (...args) => console.error('[client]', ...args),
    warn: (...args) => console.error('[client]', ...args),
    info: () => {},
    debug: () => {},
};

// The client's constructor starts connecting without handling the promise: a refused connect is also an unhandled
// rejection. Collect them; a case that expects one checks it, anything left over fails the run.
const unhandledRejections = [];
process.on('unhandledRejection', (reason) => unhandledRejections.push(reason));

// ---------------------------------------------------------------------------------------------------------------
// Clock control: the server runs on a manual clock so that read timeouts pass when this script says so.

const stdinLines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function advanceServerClock(millis) {
    console.log(`advance-clock ${millis}`);
    const { value, done } = await stdinLines.next();
    assert.equal(done, false, 'the test closed stdin instead of acknowledging the clock advance');
    assert.equal(value, `advanced ${millis}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** A connected client, authenticated with `token` (null: no token at all). */
function connect(token = TOKEN) {
    if (token === null) {
        delete process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    } else {
        process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = token;
    }
    return new Promise((resolve, reject) => {
        const client = new sm.StreamManagerClient({
            logger,
            onConnectCb: () => resolve(client),
            onErrorCb: (e) => {
                client.close();
                reject(e);
            },
        });
    }).finally(() => {
        process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = TOKEN;
    });
}

function definition(name, overrides = {}) {
    const d = new sm.MessageStreamDefinition()
        .withName(name)
        .withStrategyOnFull(overrides.strategyOnFull || sm.StrategyOnFull.RejectNewData)
        .withPersistence(overrides.persistence || sm.Persistence.File);
    if (overrides.maxSize !== undefined) d.withMaxSize(overrides.maxSize);
    if (overrides.streamSegmentSize !== undefined) d.withStreamSegmentSize(overrides.streamSegmentSize);
    if (overrides.timeToLiveMillis !== undefined) d.withTimeToLiveMillis(overrides.timeToLiveMillis);
    if (overrides.flushOnWrite !== undefined) d.withFlushOnWrite(overrides.flushOnWrite);
    if (overrides.exportDefinition !== undefined) d.withExportDefinition(overrides.exportDefinition);
    return d;
}

function readOptions(start, min, max, timeoutMillis = 0) {
    return new sm.ReadMessagesOptions()
        .withDesiredStartSequenceNumber(start)
        .withMinMessageCount(min)
        .withMaxMessageCount(max)
        .withReadTimeoutMillis(timeoutMillis);
}

/** Asserts that `promise` rejects with an instance of `type` whose message matches `pattern`, if one is given. */
async function rejectsWith(promise, type, pattern) {
    let error;
    try {
        await promise;
    } catch (e) {
        error = e;
    }
    assert.ok(error, `expected ${type.name} but the call succeeded`);
    assert.ok(error instanceof type, `expected ${type.name} but got ${error.constructor.name}: ${error.message}`);
    if (pattern) {
        assert.match(error.message, pattern);
    }
    return error;
}

/**
 * Runs `fn` with the client's own checks of the named fields of `type` switched off, so the request reaches the
 * server as a raw or older client would send it.
 */
async function withoutClientChecks(type, fields, fn) {
    const rules = type.validationsMap;
    const saved = {};
    for (const field of fields) {
        saved[field] = rules[field];
        rules[field] = {};
    }
    try {
        return await fn();
    } finally {
        Object.assign(rules, saved);
    }
}

async function withoutClientReadChecks(fn) {
    const original = sm.StreamManagerClient.__validateReadMessagesOptions;
    sm.StreamManagerClient.__validateReadMessagesOptions = () => {};
    try {
        return await fn();
    } finally {
        sm.StreamManagerClient.__validateReadMessagesOptions = original;
    }
}

/** Resolves once `condition` holds, checking on each turn of the event loop; the case's timeout bounds it. */
async function until(condition) {
    while (!condition()) {
        await new Promise((resolve) => setImmediate(resolve));
    }
}

function bytes(size, seed) {
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) {
        b[i] = (i * 31 + seed) & 0xff;
    }
    return b;
}

// ---------------------------------------------------------------------------------------------------------------
// Cases, run in order on one shared client unless a case needs its own.

const cases = [];
function check(name, fn) {
    cases.push({ name, fn });
}

let client;

check('connects with the configured token and lists no streams', async () => {
    client = await connect();
    assert.deepEqual(await client.listStreams(), []);
});

check('create a File stream; describe returns its definition and the empty-stream storage status', async () => {
    await client.createMessageStream(definition('file-reject', { maxSize: 1_048_576, streamSegmentSize: 65_536 }));
    const info = await client.describeMessageStream('file-reject');
    assert.equal(info.definition.name, 'file-reject');
    assert.equal(info.definition.maxSize, 1_048_576);
    assert.equal(info.definition.streamSegmentSize, 65_536);
    assert.equal(info.definition.strategyOnFull, sm.StrategyOnFull.RejectNewData);
    assert.equal(info.definition.persistence, sm.Persistence.File);
    assert.equal(info.storageStatus.oldestSequenceNumber, 0);
    assert.equal(info.storageStatus.newestSequenceNumber, -1);
    assert.equal(info.storageStatus.totalBytes, 0);
    assert.deepEqual(info.exportStatuses, []);
});

check('appends get sequence numbers 0, 1, 2; a read returns them with name, ingest time and payload', async () => {
    const numbers = [];
    for (const text of ['alpha', 'beta', 'gamma']) {
        numbers.push(await client.appendMessage('file-reject', Buffer.from(text)));
    }
    assert.deepEqual(numbers, [0, 1, 2]);

    const messages = await client.readMessages('file-reject', readOptions(0, 1, 2));
    assert.equal(messages.length, 2, 'all available messages up to maxMessageCount');
    assert.deepEqual(messages.map((m) => m.sequenceNumber), [0, 1]);
    assert.deepEqual(messages.map((m) => m.payload.toString()), ['alpha', 'beta']);
    assert.ok(messages.every((m) => m.streamName === 'file-reject'));
    assert.ok(messages.every((m) => m.ingestTime === CLOCK_START), `ingest time is the server clock's ${CLOCK_START}`);

    const rest = await client.readMessages('file-reject', readOptions(1, 1, 100));
    assert.deepEqual(rest.map((m) => m.payload.toString()), ['beta', 'gamma']);

    const info = await client.describeMessageStream('file-reject');
    assert.equal(info.storageStatus.newestSequenceNumber, 2);
    assert.ok(info.storageStatus.totalBytes >= 'alphabetagamma'.length);
});

check('read without options returns one message from the start', async () => {
    const messages = await client.readMessages('file-reject');
    assert.deepEqual(messages.map((m) => m.sequenceNumber), [0]);
});

check('a read past the end with timeout 0 fails NotEnoughMessages', async () => {
    await rejectsWith(client.readMessages('file-reject', readOptions(3, 1, 1)), sm.NotEnoughMessagesException);
    await rejectsWith(client.readMessages('file-reject', readOptions(0, 4, 10)), sm.NotEnoughMessagesException);
});

for (const [label, persistence] of [['File', sm.Persistence.File], ['Memory', sm.Persistence.Memory]]) {
    check(`a ~1 MiB payload round-trips byte for byte (${label})`, async () => {
        const name = `large-${label.toLowerCase()}`;
        await client.createMessageStream(definition(name, { persistence }));
        const payload = bytes(1_048_576 - 64, label.length);
        assert.equal(await client.appendMessage(name, payload), 0);
        assert.equal(await client.appendMessage(name, Buffer.from('small')), 1);

        const [message, small] = await client.readMessages(name, readOptions(0, 2, 2));
        assert.ok(message.payload.equals(payload), 'payload differs after the round trip');
        assert.equal(small.payload.toString(), 'small');
    });
}

check('many requests in flight on one connection each get their own answer', async () => {
    await client.createMessageStream(definition('in-flight', { persistence: sm.Persistence.Memory }));
    const appends = [];
    for (let i = 0; i < 200; i++) {
        appends.push(client.appendMessage('in-flight', Buffer.from(`m${i}`)));
    }
    const numbers = await Promise.all(appends);
    assert.deepEqual([...numbers].sort((a, b) => a - b), [...Array(200).keys()]);

    const reads = numbers.map((n) => client.readMessages('in-flight', readOptions(n, 1, 1)));
    const answers = await Promise.all(reads);
    answers.forEach(([m], i) => {
        assert.equal(m.sequenceNumber, numbers[i]);
        assert.equal(m.payload.toString(), `m${i}`);
    });
});

check('a waiting read is answered by an append on the same connection', async () => {
    await client.createMessageStream(definition('wait-append', { persistence: sm.Persistence.Memory }));
    let answered = false;
    const read = client.readMessages('wait-append', readOptions(0, 2, 5, 60_000)).then((messages) => {
        answered = true;
        return messages;
    });

    assert.equal(await client.appendMessage('wait-append', Buffer.from('one')), 0);
    await client.listStreams();
    assert.equal(answered, false, 'the read needs two messages but was answered after one');
    assert.equal(await client.appendMessage('wait-append', Buffer.from('two')), 1);

    const messages = await read;
    assert.deepEqual(messages.map((m) => m.payload.toString()), ['one', 'two']);
});

check('a waiting read fails NotEnoughMessages when its timeout passes, not before', async () => {
    await client.createMessageStream(definition('wait-timeout', { persistence: sm.Persistence.Memory }));
    let settled = false;
    const read = client.readMessages('wait-timeout', readOptions(0, 1, 1, 5_000));
    read.then(() => { settled = true; }, () => { settled = true; });
    await client.listStreams(); // the read reached the server before this answer left it

    await advanceServerClock(4_999);
    await client.listStreams();
    assert.equal(settled, false, 'the read was answered before its timeout');

    await advanceServerClock(1);
    await rejectsWith(read, sm.NotEnoughMessagesException);
});

check('RejectNewData: a full stream refuses appends with InvalidRequest naming the limit; stored data is untouched',
    async () => {
        await client.createMessageStream(definition('tiny-reject', { maxSize: 4096, streamSegmentSize: 1024 }));
        const payload = bytes(600, 1);
        let accepted = 0;
        let error;
        while (!error && accepted < 100) {
            try {
                await client.appendMessage('tiny-reject', payload);
                accepted++;
            } catch (e) {
                error = e;
            }
        }
        assert.ok(accepted > 0 && accepted < 100, `accepted ${accepted} appends of 600 bytes into 4096`);
        assert.ok(error instanceof sm.InvalidRequestException, `got ${error && error.constructor.name}`);
        assert.match(error.message, /tiny-reject/);
        assert.match(error.message, /full/);
        assert.match(error.message, /4096|4 KiB/);

        const messages = await client.readMessages('tiny-reject', readOptions(0, accepted, accepted));
        assert.deepEqual(messages.map((m) => m.sequenceNumber), [...Array(accepted).keys()]);
        assert.ok(messages.every((m) => m.payload.equals(payload)));
    });

for (const [label, persistence] of [['File', sm.Persistence.File], ['Memory', sm.Persistence.Memory]]) {
    check(`OverwriteOldestData: appends keep succeeding and the oldest sequence number moves up (${label})`, async () => {
        const name = `tiny-overwrite-${label.toLowerCase()}`;
        await client.createMessageStream(definition(name, {
            persistence,
            maxSize: 4096,
            streamSegmentSize: 1024,
            strategyOnFull: sm.StrategyOnFull.OverwriteOldestData,
        }));
        for (let i = 0; i < 40; i++) {
            assert.equal(await client.appendMessage(name, bytes(600, i)), i);
        }
        const { storageStatus } = await client.describeMessageStream(name);
        assert.equal(storageStatus.newestSequenceNumber, 39);
        assert.ok(storageStatus.oldestSequenceNumber > 0, 'nothing was overwritten');
        assert.ok(storageStatus.totalBytes <= 4096, `totalBytes ${storageStatus.totalBytes} is over maxSize`);

        // A start before the oldest message begins at the oldest one.
        const [first] = await client.readMessages(name, readOptions(0, 1, 1));
        assert.equal(first.sequenceNumber, storageStatus.oldestSequenceNumber);
        assert.ok(first.payload.equals(bytes(600, first.sequenceNumber)));
    });
}

check('a payload larger than maxSize fails RequestPayloadTooLarge', async () => {
    await client.createMessageStream(definition('too-small', {
        maxSize: 2048,
        streamSegmentSize: 1024,
        strategyOnFull: sm.StrategyOnFull.OverwriteOldestData,
    }));
    await rejectsWith(client.appendMessage('too-small', bytes(4096, 3)), sm.RequestPayloadTooLargeException);
    const { storageStatus } = await client.describeMessageStream('too-small');
    assert.equal(storageStatus.newestSequenceNumber, -1);
});

check('update replaces the definition; changing persistence is UpdateNotAllowed', async () => {
    await client.createMessageStream(definition('updatable', { maxSize: 1_048_576, streamSegmentSize: 65_536 }));
    await client.appendMessage('updatable', Buffer.from('kept'));
    await client.updateMessageStream(definition('updatable', {
        maxSize: 2_097_152,
        streamSegmentSize: 65_536,
        timeToLiveMillis: 3_600_000,
        strategyOnFull: sm.StrategyOnFull.OverwriteOldestData,
    }));
    const info = await client.describeMessageStream('updatable');
    assert.equal(info.definition.maxSize, 2_097_152);
    assert.equal(info.definition.timeToLiveMillis, 3_600_000);
    assert.equal(info.definition.strategyOnFull, sm.StrategyOnFull.OverwriteOldestData);
    assert.equal(info.storageStatus.newestSequenceNumber, 0);

    const error = await rejectsWith(
        client.updateMessageStream(definition('updatable', {
            maxSize: 2_097_152, streamSegmentSize: 65_536, persistence: sm.Persistence.Memory,
        })),
        sm.UpdateNotAllowedException, /persistence/);
    assert.ok(error instanceof sm.InvalidRequestException, 'UpdateNotAllowed is an InvalidRequest for the JS client');
    const [message] = await client.readMessages('updatable');
    assert.equal(message.payload.toString(), 'kept');
});

check('export definitions round-trip through describe, each with a status', async () => {
    const exportDefinition = new sm.ExportDefinition()
        .withKinesis([new sm.KinesisConfig().withIdentifier('to-kinesis').withKinesisStreamName('plant')
            .withBatchSize(100).withPriority(2)])
        .withHttp([new sm.HTTPConfig().withIdentifier('to-http').withUri('http://127.0.0.1:9/ingest')
            .withExportFormat(sm.ExportFormat.JSON_BATCHED)])
        .withIotSitewise([new sm.IoTSiteWiseConfig().withIdentifier('to-sitewise').withBatchSize(10)]);
    await client.createMessageStream(definition('exported', { exportDefinition }));

    const info = await client.describeMessageStream('exported');
    const exports = info.definition.exportDefinition;
    assert.equal(exports.kinesis[0].identifier, 'to-kinesis');
    assert.equal(exports.kinesis[0].kinesisStreamName, 'plant');
    assert.equal(exports.kinesis[0].batchSize, 100);
    assert.equal(exports.kinesis[0].priority, 2);
    assert.equal(exports.http[0].uri, 'http://127.0.0.1:9/ingest');
    assert.equal(exports.http[0].exportFormat, sm.ExportFormat.JSON_BATCHED);
    assert.equal(exports.IotSitewise[0].identifier, 'to-sitewise'); // the wire key's odd casing, kept by the client
    assert.deepEqual(info.exportStatuses.map((s) => s.exportConfigIdentifier).sort(),
        ['to-http', 'to-kinesis', 'to-sitewise']);
});

check('delete removes the stream: later calls fail ResourceNotFound; re-creating starts again at 0', async () => {
    await client.createMessageStream(definition('doomed', { persistence: sm.Persistence.Memory }));
    await client.appendMessage('doomed', Buffer.from('x'));
    await client.deleteMessageStream('doomed');
    assert.ok(!(await client.listStreams()).includes('doomed'));
    await rejectsWith(client.describeMessageStream('doomed'), sm.ResourceNotFoundException, /doomed/);

    await client.createMessageStream(definition('doomed', { persistence: sm.Persistence.Memory }));
    assert.equal(await client.appendMessage('doomed', Buffer.from('again')), 0);
});

check('an unknown stream fails ResourceNotFound for append, read, describe, update and delete', async () => {
    await rejectsWith(client.appendMessage('missing', Buffer.from('x')), sm.ResourceNotFoundException, /missing/);
    await rejectsWith(client.readMessages('missing'), sm.ResourceNotFoundException, /missing/);
    await rejectsWith(client.describeMessageStream('missing'), sm.ResourceNotFoundException, /missing/);
    await rejectsWith(client.updateMessageStream(definition('missing')), sm.ResourceNotFoundException, /missing/);
    await rejectsWith(client.deleteMessageStream('missing'), sm.ResourceNotFoundException, /missing/);
});

check('creating a stream that exists fails InvalidRequest', async () => {
    await rejectsWith(client.createMessageStream(definition('file-reject')), sm.InvalidRequestException,
        /file-reject/);
});

check('invalid names: the client refuses them, and the server too when the client does not check', async () => {
    for (const name of ['bad/name', 'café', '', 'x'.repeat(256)]) {
        await rejectsWith(client.createMessageStream(definition(name)), sm.ValidationException);
        await withoutClientChecks(sm.MessageStreamDefinition, ['name'], () =>
            rejectsWith(client.createMessageStream(definition(name)), sm.InvalidRequestException, /name/));
    }
    await withoutClientChecks(sm.AppendMessageRequest, ['name'], () =>
        rejectsWith(client.appendMessage('bad/name', Buffer.from('x')), sm.InvalidRequestException, /name/));
    assert.ok(!(await client.listStreams()).some((n) => n.includes('/')));
});

check('invalid definition values are refused by the server when the client does not check', async () => {
    await withoutClientChecks(sm.MessageStreamDefinition, ['maxSize', 'timeToLiveMillis'], async () => {
        await rejectsWith(client.createMessageStream(definition('bad-size', { maxSize: 100 })),
            sm.InvalidRequestException, /maxSize is 100/);
        await rejectsWith(client.createMessageStream(definition('bad-ttl', { timeToLiveMillis: 1000 })),
            sm.InvalidRequestException, /timeToLiveMillis is 1000/);
    });
    assert.ok(!(await client.listStreams()).includes('bad-size'));
});

check('minMessageCount > maxMessageCount: the client refuses it, and the server too when the client does not check',
    async () => {
        await rejectsWith(client.readMessages('file-reject', readOptions(0, 3, 2)), sm.ValidationException);
        await withoutClientReadChecks(() =>
            rejectsWith(client.readMessages('file-reject', readOptions(0, 3, 2)), sm.InvalidRequestException,
                /minMessageCount/));
    });

check('list streams names every stream', async () => {
    const names = await client.listStreams();
    for (const name of ['file-reject', 'large-file', 'large-memory', 'in-flight', 'tiny-reject', 'updatable',
        'exported', 'doomed']) {
        assert.ok(names.includes(name), `${name} is missing from ${JSON.stringify(names)}`);
    }
});

for (const [label, token] of [['a wrong', 'not-the-token'], ['no', null]]) {
    check(`${label} auth token is refused at connect; connected clients keep working`, async () => {
        const before = unhandledRejections.length;
        await rejectsWith(connect(token), sm.ConnectFailedException);
        // The constructor's own connect attempt also rejects, unhandled, with the same error, a little later.
        await until(() => unhandledRejections.length > before);
        assert.ok(unhandledRejections.slice(before).every((e) => e instanceof sm.ConnectFailedException));
        unhandledRejections.length = before;
        assert.ok((await client.listStreams()).includes('file-reject'));
    });
}

// ---------------------------------------------------------------------------------------------------------------

function withTimeout(promise, millis) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${millis} ms`)), millis);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function oneLine(error) {
    const text = error && error.stack ? error.stack : String(error);
    return text.replace(/\s*\n\s*/g, ' | ');
}

async function main() {
    let passed = 0;
    let failed = 0;
    for (const { name, fn } of cases) {
        try {
            await withTimeout(Promise.resolve().then(fn), CASE_TIMEOUT_MS);
            console.log(`ok ${name}`);
            passed++;
        } catch (e) {
            console.log(`not ok ${name} :: ${oneLine(e)}`);
            failed++;
        }
    }
    if (unhandledRejections.length > 0) {
        console.log(`not ok no unhandled rejections :: ${unhandledRejections.map(oneLine).join(' || ')}`);
        failed++;
    }
    if (client) {
        client.close();
    }
    console.log(`done ${passed} ${failed}`);
    process.exit(failed === 0 ? 0 : 1);
}

main();
