#!/usr/bin/env node
/*
 * kinesis.js - conformance driver for edgestream using the OFFICIAL AWS JS v3
 * Kinesis client (@aws-sdk/client-kinesis, pinned in package.json).
 *
 * The expectations are those of real Amazon Kinesis (shapes, error names and
 * statuses), not of any emulator. Where AWS leaves room, edgestream's choice is
 * accepted and named: sequence numbers are decimal strings of any width (AWS:
 * 56 digits, edgestream: 24), an ON_DEMAND stream has at least one shard (AWS:
 * 4, edgestream: 1), SubscribeToShard of an unknown consumer fails with
 * ResourceNotFoundException (AWS) or UnsupportedOperationException (edgestream
 * has no enhanced fan-out). JUnit runs it: OfficialJsKinesisClientTest.
 *
 * Usage:
 *   node kinesis.js <endpoint-url> <accessKeyId> <secretAccessKey> [--http1] [--prefix=NAME]
 *
 *   <endpoint-url>  e.g. http://127.0.0.1:4567
 *   --http1         use `new NodeHttpHandler()` (HTTP/1.1). Without it the
 *                   client's DEFAULT request handler is used, which for this
 *                   client is NodeHttp2Handler (h2c with prior knowledge on
 *                   an http:// endpoint).
 *   --prefix=NAME   stream-name prefix (default: js-<Date.now()>), so reruns
 *                   against the same daemon never collide.
 *
 * Environment:
 *   KJS_TRACE=1     print every signed request (method, path, headers, body
 *                   size) and the response status to stderr.
 *   KJS_CASE_TIMEOUT_MS  per-case timeout (default 30000).
 *
 * Output: one JSON object per line on stdout, one per case:
 *   {"case":"<name>","ok":true|false,"detail":"...","error":"<e.name>: <message>"}
 * ("error" is present when the case saw/expected an error or died on one.)
 * The last line is {"case":"summary","ok":true,"passed":N,"failed":M}.
 * The process exits 0 once all cases have run (a failing case never stops
 * later ones); it exits 2 only on bad usage.
 */
"use strict";

// The SDK warns on stderr that Node < 22 will be unsupported in 2027; that is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const crypto = require("node:crypto");
const {
  KinesisClient,
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  ListStreamsCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  GetShardIteratorCommand,
  GetRecordsCommand,
  AddTagsToStreamCommand,
  ListTagsForStreamCommand,
  RemoveTagsFromStreamCommand,
  IncreaseStreamRetentionPeriodCommand,
  DecreaseStreamRetentionPeriodCommand,
  SubscribeToShardCommand,
  DeleteStreamCommand,
} = require("@aws-sdk/client-kinesis");

// ---------------------------------------------------------------- arguments

const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const badFlags = flags.filter((f) => f !== "--http1" && !f.startsWith("--prefix="));
if (positional.length !== 3 || badFlags.length > 0) {
  process.stderr.write(
    "usage: node kinesis.js <endpoint-url> <accessKeyId> <secretAccessKey> [--http1] [--prefix=NAME]\n");
  process.exit(2);
}
const [ENDPOINT, ACCESS_KEY, SECRET_KEY] = positional;
const HTTP1 = flags.includes("--http1");
const prefixFlag = flags.find((f) => f.startsWith("--prefix="));
const PREFIX = prefixFlag ? prefixFlag.slice("--prefix=".length) : `js-${Date.now()}`;
const CASE_TIMEOUT_MS = Number(process.env.KJS_CASE_TIMEOUT_MS || 30000);
const TRACE = process.env.KJS_TRACE === "1";

const STREAM = `${PREFIX}-prov`; // provisioned, 2 shards
const STREAM_OD = `${PREFIX}-od`; // on-demand
const MISSING = `${PREFIX}-missing`;
const MAX_HASH = (1n << 128n) - 1n;

function makeClient(secret, accessKey = ACCESS_KEY) {
  const config = {
    endpoint: ENDPOINT,
    region: "us-east-1",
    credentials: { accessKeyId: accessKey, secretAccessKey: secret },
    maxAttempts: 1,
  };
  if (HTTP1) {
    // Only loaded in HTTP/1.1 mode; the default handler is left untouched otherwise.
    const { NodeHttpHandler } = require("@smithy/node-http-handler");
    config.requestHandler = new NodeHttpHandler();
  }
  const client = new KinesisClient(config);
  if (TRACE) {
    // The deserialize step sees the final, signed request right before it is sent.
    client.middlewareStack.add((next, context) => async (args) => {
      const r = args.request;
      const size = r.body == null ? 0 : (r.body.length ?? r.body.byteLength ?? "stream");
      process.stderr.write(`[trace] ${context.commandName} ${r.method} ${r.protocol}//${r.hostname}:${r.port}${r.path} ` +
        `headers=${JSON.stringify(r.headers)} bodyBytes=${size}\n`);
      try {
        const out = await next(args);
        process.stderr.write(`[trace] ${context.commandName} -> ${out.response && out.response.statusCode}\n`);
        return out;
      } catch (e) {
        process.stderr.write(`[trace] ${context.commandName} -> ${e.name}: ${e.message} ` +
          `(http ${e.$metadata && e.$metadata.httpStatusCode})\n`);
        throw e;
      }
    }, { step: "deserialize", name: "kjsTrace", priority: "low" });
  }
  return client;
}

const client = makeClient(SECRET_KEY);
const send = (cmd) => client.send(cmd);

// ---------------------------------------------------------------- case helpers

class CaseFailure extends Error {
  constructor(detail, seenError) {
    super(detail);
    this.seenError = seenError;
  }
}

/** Fail the current case with `detail` (should say expected vs. seen) unless cond holds. */
function expect(cond, detail) {
  if (!cond) throw new CaseFailure(typeof detail === "function" ? detail() : detail);
}

/** "<name>: <message>", the message cut to 400 characters (service messages can echo whole inputs). */
function errStr(e) {
  const msg = String(e && e.message);
  return `${e && e.name}: ${msg.length > 400 ? msg.slice(0, 400) + "...[cut]" : msg}`;
}

/** HTTP status of a service error; undefined for transport/client-side errors. */
const httpStatus = (e) => e && e.$metadata && e.$metadata.httpStatusCode;

/**
 * Awaits `promise`, which must reject with one of `names`. Returns the error.
 * Fails the case if it resolves or rejects with another name.
 */
async function expectError(promise, names, what) {
  let result;
  try {
    result = await promise;
  } catch (e) {
    if (!names.includes(e.name)) {
      throw new CaseFailure(`${what}: expected ${names.join(" or ")}, saw ${e.name}`, e);
    }
    return e;
  }
  throw new CaseFailure(`${what}: expected ${names.join(" or ")}, but the call succeeded ` +
    `(${JSON.stringify(strip(result)).slice(0, 200)})`);
}

/** Drops $metadata for readable details. */
function strip(out) {
  if (!out || typeof out !== "object") return out;
  const { $metadata, ...rest } = out;
  return rest;
}

function withTimeout(promise, ms, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CaseFailure(`case ${name} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let passed = 0;
let failed = 0;

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

/**
 * Runs one case. `fn` returns a detail string, or {detail, error} where
 * error is an Error the case expected and wants reported.
 */
async function runCase(name, fn) {
  const line = { case: name, ok: false, detail: "" };
  try {
    const out = await withTimeout(Promise.resolve().then(fn), CASE_TIMEOUT_MS, name);
    line.ok = true;
    if (out && typeof out === "object") {
      line.detail = out.detail || "ok";
      if (out.error) line.error = errStr(out.error);
    } else {
      line.detail = out || "ok";
    }
  } catch (e) {
    if (e instanceof CaseFailure) {
      line.detail = e.message;
      if (e.seenError) line.error = errStr(e.seenError);
    } else {
      line.detail = "unexpected exception" + (e && e.code ? ` (code ${e.code})` : "") +
        (httpStatus(e) ? ` (http ${httpStatus(e)})` : "");
      line.error = errStr(e);
    }
  }
  if (line.ok) passed++; else failed++;
  emit(line);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const utf8 = (s) => new TextEncoder().encode(s);
const bytesEqual = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const isDecimal = (s) => typeof s === "string" && /^[0-9]+$/.test(s);

/** MD5 of the UTF-8 partition key as a 128-bit big-endian unsigned integer. */
function hashKeyOf(partitionKey) {
  return BigInt("0x" + crypto.createHash("md5").update(partitionKey, "utf8").digest("hex"));
}

function shardForHash(shards, h) {
  return shards.find((s) =>
    BigInt(s.HashKeyRange.StartingHashKey) <= h && h <= BigInt(s.HashKeyRange.EndingHashKey));
}

// ---------------------------------------------------------------- shared state

const state = {
  shards: null, // describeStream shards of STREAM, sorted by StartingHashKey
  created: [], // stream names this run created
  puts: [], // {shardId, seq, pk, data} in put order
  timeBeforeFirstPut: null,
  streamArn: null,
};

function need(value, what) {
  expect(value != null, `precondition missing: ${what} (an earlier case failed)`);
  return value;
}

const putsOn = (shardId) => state.puts.filter((p) => p.shardId === shardId);

/** Pages ListStreams with Limit 1 in the given mode; returns a summary or throws CaseFailure. */
async function listAllStreams(mode) {
  const names = [];
  let input = { Limit: 1 };
  let pages = 0;
  for (;;) {
    expect(++pages <= 2000, "more than 2000 pages, giving up");
    const out = await send(new ListStreamsCommand(input));
    const page = out.StreamNames || [];
    expect(page.length <= 1, `Limit 1 but page ${pages} has ${page.length} names`);
    expect(typeof out.HasMoreStreams === "boolean", `HasMoreStreams missing on page ${pages}`);
    expect(Array.isArray(out.StreamSummaries), `StreamSummaries missing on page ${pages}`);
    for (const s of out.StreamSummaries) {
      const missing = ["StreamName", "StreamARN", "StreamStatus"].filter((k) => s[k] == null);
      expect(missing.length === 0, `StreamSummary ${JSON.stringify(s)} lacks ${missing.join(",")}`);
    }
    expect(out.StreamSummaries.length === page.length &&
      out.StreamSummaries.every((s, i) => s.StreamName === page[i]),
    `StreamSummaries ${JSON.stringify(out.StreamSummaries.map((s) => s.StreamName))} ` +
      `disagree with StreamNames ${JSON.stringify(page)}`);
    for (const n of page) {
      expect(!names.includes(n), `stream ${n} returned twice`);
      names.push(n);
    }
    if (!out.HasMoreStreams) break;
    expect(page.length === 1, `HasMoreStreams true but page ${pages} is empty`);
    if (mode === "NextToken") {
      expect(typeof out.NextToken === "string" && out.NextToken.length > 0,
        `HasMoreStreams true but no NextToken on page ${pages}`);
      input = { Limit: 1, NextToken: out.NextToken };
    } else {
      input = { Limit: 1, ExclusiveStartStreamName: page[0] };
    }
  }
  const missing = state.created.filter((n) => !names.includes(n));
  expect(missing.length === 0, `created stream(s) ${missing.join(",")} never listed ` +
    `(saw ${names.length} names in ${pages} pages)`);
  return `${names.length} names in ${pages} pages, HasMoreStreams false only on the last`;
}

/**
 * Reads a shard from `iterator`, following NextShardIterator until a call
 * returns nothing and reports MillisBehindLatest 0 (bounded).
 */
async function drain(iterator, { limit = 100, maxCalls = 20, streamArn } = {}) {
  const records = [];
  let it = iterator;
  let last;
  for (let i = 0; i < maxCalls && it; i++) {
    last = await send(new GetRecordsCommand({ ShardIterator: it, Limit: limit, StreamARN: streamArn }));
    records.push(...(last.Records || []));
    it = last.NextShardIterator;
    if ((last.Records || []).length === 0 && last.MillisBehindLatest === 0) break;
  }
  return { records, last };
}

async function iteratorFor(shardId, type, extra = {}) {
  const out = await send(new GetShardIteratorCommand({
    StreamName: STREAM, ShardId: shardId, ShardIteratorType: type, ...extra,
  }));
  expect(typeof out.ShardIterator === "string" && out.ShardIterator.length > 0,
    `getShardIterator ${type}: expected a ShardIterator string, saw ${JSON.stringify(strip(out))}`);
  return out.ShardIterator;
}

function recordPut(shardId, seq, pk, data) {
  state.puts.push({ shardId, seq, pk, data });
}

/** Checks a record list against the expected puts, in order. */
function compareRecords(label, got, want) {
  expect(got.length === want.length,
    `${label}: expected ${want.length} records, saw ${got.length} ` +
    `(seqs ${JSON.stringify(got.map((r) => r.SequenceNumber))})`);
  for (let i = 0; i < want.length; i++) {
    const r = got[i];
    const w = want[i];
    expect(r.SequenceNumber === w.seq, `${label}[${i}]: expected seq ${w.seq}, saw ${r.SequenceNumber}`);
    expect(r.PartitionKey === w.pk, `${label}[${i}]: expected PartitionKey ${w.pk}, saw ${r.PartitionKey}`);
    expect(r.Data instanceof Uint8Array && bytesEqual(r.Data, w.data),
      `${label}[${i}]: Data bytes differ (expected ${Buffer.from(w.data).toString("base64")}, ` +
      `saw ${r.Data && Buffer.from(r.Data).toString("base64")})`);
  }
}

// ---------------------------------------------------------------- cases

async function main() {
  await runCase("01-create-provisioned-and-wait-active", async () => {
    await send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 2 }));
    state.created.push(STREAM);
    let desc;
    const seen = [];
    for (let i = 0; i < 50; i++) {
      desc = (await send(new DescribeStreamCommand({ StreamName: STREAM }))).StreamDescription;
      seen.push(desc.StreamStatus);
      if (desc.StreamStatus === "ACTIVE") break;
      await sleep(100);
    }
    expect(desc.StreamStatus === "ACTIVE", `expected ACTIVE within 50 polls, statuses seen: ${seen.join(",")}`);
    const shards = [...desc.Shards].sort((a, b) =>
      (BigInt(a.HashKeyRange.StartingHashKey) < BigInt(b.HashKeyRange.StartingHashKey) ? -1 : 1));
    expect(shards.length === 2, `expected 2 shards, saw ${shards.length}`);
    let next = 0n;
    for (const s of shards) {
      const start = BigInt(s.HashKeyRange.StartingHashKey);
      const end = BigInt(s.HashKeyRange.EndingHashKey);
      expect(start === next, `expected shard ${s.ShardId} to start at ${next}, saw ${start}`);
      expect(end >= start, `shard ${s.ShardId} range end ${end} < start ${start}`);
      next = end + 1n;
    }
    expect(next - 1n === MAX_HASH, `expected last range to end at 2^128-1, saw ${next - 1n}`);
    expect(typeof desc.StreamARN === "string" && desc.StreamARN.length > 0, "expected a StreamARN in the description");
    expect(desc.HasMoreShards === false, `expected HasMoreShards false, saw ${desc.HasMoreShards}`);
    expect(desc.RetentionPeriodHours === 24, `expected the default RetentionPeriodHours 24, saw ${desc.RetentionPeriodHours}`);
    expect(desc.StreamCreationTimestamp instanceof Date &&
      Math.abs(desc.StreamCreationTimestamp.getTime() - Date.now()) < 5 * 60 * 1000,
    `expected StreamCreationTimestamp within 5 min of now, saw ${desc.StreamCreationTimestamp}`);
    expect(Array.isArray(desc.EnhancedMonitoring), "expected EnhancedMonitoring (a list) in the description");
    for (const s of shards) {
      expect(/^shardId-[0-9]{12}$/.test(s.ShardId), `expected a shard id like shardId-000000000000, saw ${s.ShardId}`);
      expect(s.SequenceNumberRange && isDecimal(s.SequenceNumberRange.StartingSequenceNumber),
        `${s.ShardId}: expected SequenceNumberRange.StartingSequenceNumber, saw ${JSON.stringify(s.SequenceNumberRange)}`);
    }
    state.shards = shards;
    return `ACTIVE after ${seen.length} describe(s); shards ${shards.map((s) => s.ShardId).join(",")} cover 0..2^128-1`;
  });

  await runCase("02-create-on-demand", async () => {
    await send(new CreateStreamCommand({ StreamName: STREAM_OD, StreamModeDetails: { StreamMode: "ON_DEMAND" } }));
    state.created.push(STREAM_OD);
    let sum;
    for (let i = 0; i < 50; i++) {
      sum = (await send(new DescribeStreamSummaryCommand({ StreamName: STREAM_OD }))).StreamDescriptionSummary;
      if (sum.StreamStatus === "ACTIVE") break;
      await sleep(100);
    }
    const mode = sum.StreamModeDetails && sum.StreamModeDetails.StreamMode;
    expect(mode === "ON_DEMAND", `expected StreamModeDetails.StreamMode ON_DEMAND, saw ${JSON.stringify(sum.StreamModeDetails)}`);
    expect(sum.StreamStatus === "ACTIVE", `expected ACTIVE within 50 polls, saw ${sum.StreamStatus}`);
    // AWS opens 4 shards for a new ON_DEMAND stream, edgestream 1; either way there must be one to write to.
    expect(Number.isInteger(sum.OpenShardCount) && sum.OpenShardCount >= 1,
      `expected OpenShardCount >= 1, saw ${sum.OpenShardCount}`);
    const missing = ["StreamName", "StreamARN", "StreamStatus", "RetentionPeriodHours", "StreamCreationTimestamp",
      "EnhancedMonitoring", "OpenShardCount"].filter((k) => sum[k] == null);
    expect(missing.length === 0, `DescribeStreamSummary lacks required member(s) ${missing.join(",")}`);
    return `ON_DEMAND stream created, status ${sum.StreamStatus}, ${sum.OpenShardCount} open shard(s)`;
  });

  await runCase("03-create-duplicate", async () => {
    const e = await expectError(send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 })),
      ["ResourceInUseException"], "createStream of an existing name");
    const z = await expectError(send(new CreateStreamCommand({ StreamName: `${PREFIX}-zero`, ShardCount: 0 })),
      ["ValidationException"], "createStream with ShardCount 0");
    return { detail: `duplicate rejected with ResourceInUseException; ShardCount 0 with ${z.name}`, error: e };
  });

  await runCase("04-list-streams-paging", async () => {
    need(state.created.length ? true : null, "no stream was created");
    // Pass "NextToken" follows NextToken; pass "ExclusiveStartStreamName" never sends one.
    // Both passes always run; the case fails if either does.
    const results = [];
    for (const mode of ["NextToken", "ExclusiveStartStreamName"]) {
      try {
        results.push({ ok: true, text: `${mode}: ${await listAllStreams(mode)}` });
      } catch (e) {
        if (!(e instanceof CaseFailure)) throw e;
        results.push({ ok: false, text: `${mode}: FAILED ${e.message}` });
      }
    }
    const text = results.map((r) => r.text).join("; ");
    expect(results.every((r) => r.ok), text);
    return text;
  });

  await runCase("05-list-shards-paging", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    const p1 = await send(new ListShardsCommand({ StreamName: STREAM, MaxResults: 1 }));
    expect((p1.Shards || []).length === 1, `page 1: expected 1 shard, saw ${(p1.Shards || []).length}`);
    expect(typeof p1.NextToken === "string" && p1.NextToken.length > 0, "page 1: expected a NextToken");
    const p2 = await send(new ListShardsCommand({ NextToken: p1.NextToken, MaxResults: 1 }));
    expect((p2.Shards || []).length === 1, `page 2 (NextToken only): expected 1 shard, saw ${(p2.Shards || []).length}`);
    const got = [p1.Shards[0].ShardId, p2.Shards[0].ShardId];
    const want = shards.map((s) => s.ShardId);
    expect(got[0] !== got[1], `both pages returned ${got[0]}`);
    expect(want.every((id) => got.includes(id)), `expected shards ${want.join(",")}, saw ${got.join(",")}`);
    const d1 = (await send(new DescribeStreamCommand({ StreamName: STREAM, Limit: 1 }))).StreamDescription;
    expect(d1.Shards.length === 1 && d1.HasMoreShards === true,
      `describeStream Limit 1: expected 1 shard and HasMoreShards true, saw ${d1.Shards.length} and ${d1.HasMoreShards}`);
    const d2 = (await send(new DescribeStreamCommand({
      StreamName: STREAM, Limit: 1, ExclusiveStartShardId: d1.Shards[0].ShardId,
    }))).StreamDescription;
    expect(d2.Shards.length === 1 && d2.HasMoreShards === false && d2.Shards[0].ShardId === want[1] &&
      d1.Shards[0].ShardId === want[0],
    `describeStream paging: expected ${want.join(" then ")} and HasMoreShards false, saw ` +
      `${d1.Shards[0].ShardId} then ${d2.Shards.map((s) => s.ShardId).join(",")} (HasMoreShards ${d2.HasMoreShards})`);
    const both = await expectError(send(new ListShardsCommand({ StreamName: STREAM, NextToken: p1.NextToken })),
      ["InvalidArgumentException"], "listShards with both StreamName and NextToken");
    return { detail: `pages returned ${got.join(" then ")}; StreamName with NextToken -> ${both.name}`, error: both };
  });

  await runCase("06-put-record-hash-routing", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    state.timeBeforeFirstPut = new Date(Date.now() - 1000);
    const data = utf8("hello");
    const out = await send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: "pk-1", Data: data }));
    const h = hashKeyOf("pk-1");
    const want = shardForHash(shards, h).ShardId;
    expect(isDecimal(out.SequenceNumber), `expected a decimal SequenceNumber, saw ${JSON.stringify(out.SequenceNumber)}`);
    expect(out.ShardId === want, `MD5("pk-1")=${h} belongs to ${want}, but record went to ${out.ShardId}`);
    recordPut(out.ShardId, out.SequenceNumber, "pk-1", data);
    return `ShardId ${out.ShardId}, SequenceNumber ${out.SequenceNumber}`;
  });

  await runCase("07-explicit-hash-key-and-ordering", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    const first = shards.find((s) => s.HashKeyRange.StartingHashKey === "0");
    expect(first, "no shard range starts at 0");
    const d1 = utf8("explicit-1");
    const a = await send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: "pk-explicit", ExplicitHashKey: "0", Data: d1 }));
    expect(a.ShardId === first.ShardId, `ExplicitHashKey 0: expected ${first.ShardId}, saw ${a.ShardId}`);
    recordPut(a.ShardId, a.SequenceNumber, "pk-explicit", d1);
    const d2 = utf8("explicit-2");
    const b = await send(new PutRecordCommand({
      StreamName: STREAM, PartitionKey: "pk-explicit", ExplicitHashKey: "0", Data: d2,
      SequenceNumberForOrdering: a.SequenceNumber,
    }));
    expect(b.ShardId === first.ShardId, `second put: expected ${first.ShardId}, saw ${b.ShardId}`);
    recordPut(b.ShardId, b.SequenceNumber, "pk-explicit", d2);
    expect(BigInt(b.SequenceNumber) > BigInt(a.SequenceNumber),
      `expected ${b.SequenceNumber} > ${a.SequenceNumber} with SequenceNumberForOrdering`);
    const out = await expectError(send(new PutRecordCommand({
      StreamName: STREAM, PartitionKey: "pk-explicit", ExplicitHashKey: (MAX_HASH + 1n).toString(), Data: d1,
    })), ["InvalidArgumentException"], "putRecord with ExplicitHashKey 2^128");
    return { detail: `${a.ShardId}: ${a.SequenceNumber} < ${b.SequenceNumber}; ExplicitHashKey 2^128 -> ${out.name}`, error: out };
  });

  await runCase("08-put-records-batch", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    const entries = Array.from({ length: 10 }, (_, i) => ({ PartitionKey: `batch-pk-${i}`, Data: utf8(`batch-data-${i}`) }));
    const out = await send(new PutRecordsCommand({ StreamName: STREAM, Records: entries }));
    expect(out.FailedRecordCount === 0, `expected FailedRecordCount 0, saw ${out.FailedRecordCount}`);
    expect((out.Records || []).length === 10, `expected 10 results, saw ${(out.Records || []).length}`);
    const lastSeq = new Map();
    out.Records.forEach((r, i) => {
      expect(isDecimal(r.SequenceNumber) && r.ShardId, `result ${i}: missing SequenceNumber/ShardId: ${JSON.stringify(r)}`);
      const want = shardForHash(shards, hashKeyOf(entries[i].PartitionKey)).ShardId;
      expect(r.ShardId === want, `result ${i}: ${entries[i].PartitionKey} belongs to ${want}, went to ${r.ShardId}`);
      const prev = lastSeq.get(r.ShardId);
      expect(prev === undefined || BigInt(r.SequenceNumber) > prev,
        `result ${i}: sequence ${r.SequenceNumber} not greater than previous ${prev} on ${r.ShardId}`);
      lastSeq.set(r.ShardId, BigInt(r.SequenceNumber));
      recordPut(r.ShardId, r.SequenceNumber, entries[i].PartitionKey, entries[i].Data);
    });
    const perShard = [...lastSeq.keys()].map((id) => `${id}:${out.Records.filter((r) => r.ShardId === id).length}`);
    return `10 records, per shard ${perShard.join(" ")}`;
  });

  await runCase("09-trim-horizon-read-all", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    expect(state.puts.length > 0, "precondition missing: nothing was put");
    const now = Date.now();
    let total = 0;
    for (const s of shards) {
      const it = await iteratorFor(s.ShardId, "TRIM_HORIZON");
      const first = await send(new GetRecordsCommand({ ShardIterator: it, Limit: 100 }));
      expect(typeof first.NextShardIterator === "string" && first.NextShardIterator.length > 0,
        `${s.ShardId}: expected NextShardIterator`);
      expect(typeof first.MillisBehindLatest === "number",
        `${s.ShardId}: expected MillisBehindLatest number, saw ${JSON.stringify(first.MillisBehindLatest)}`);
      const rest = await drain(first.NextShardIterator);
      const records = [...(first.Records || []), ...rest.records];
      for (const r of records) {
        const ts = r.ApproximateArrivalTimestamp;
        expect(ts instanceof Date && Math.abs(ts.getTime() - now) < 5 * 60 * 1000,
          `${s.ShardId} ${r.SequenceNumber}: ApproximateArrivalTimestamp ${ts} not a Date within 5 min of now`);
      }
      compareRecords(s.ShardId, records, putsOn(s.ShardId));
      total += records.length;
    }
    expect(total === state.puts.length, `expected ${state.puts.length} records in total, saw ${total}`);
    return `${total} records read back, bytes/keys/timestamps match`;
  });

  await runCase("10-at-and-after-sequence-number", async () => {
    need(state.shards, "shards of the provisioned stream");
    const shardId = state.shards.map((s) => s.ShardId).find((id) => putsOn(id).length >= 2);
    expect(shardId, "precondition missing: no shard with 2 known records");
    const [known, after] = putsOn(shardId);
    const itAt = await iteratorFor(shardId, "AT_SEQUENCE_NUMBER", { StartingSequenceNumber: known.seq });
    const at = await send(new GetRecordsCommand({ ShardIterator: itAt, Limit: 1 }));
    expect((at.Records || []).length === 1 && at.Records[0].SequenceNumber === known.seq,
      `AT_SEQUENCE_NUMBER ${known.seq}: saw ${JSON.stringify((at.Records || []).map((r) => r.SequenceNumber))}`);
    const itAfter = await iteratorFor(shardId, "AFTER_SEQUENCE_NUMBER", { StartingSequenceNumber: known.seq });
    const af = await send(new GetRecordsCommand({ ShardIterator: itAfter, Limit: 1 }));
    expect((af.Records || []).length === 1 && af.Records[0].SequenceNumber === after.seq,
      `AFTER_SEQUENCE_NUMBER ${known.seq}: expected ${after.seq}, saw ` +
      `${JSON.stringify((af.Records || []).map((r) => r.SequenceNumber))}`);
    return `${shardId}: AT -> ${known.seq}, AFTER -> ${after.seq}`;
  });

  await runCase("11-latest-then-put", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    const shard = shards[shards.length - 1];
    const it = await iteratorFor(shard.ShardId, "LATEST");
    const data = utf8("after-latest");
    const put = await send(new PutRecordCommand({
      StreamName: STREAM, PartitionKey: "pk-latest", ExplicitHashKey: shard.HashKeyRange.StartingHashKey, Data: data,
    }));
    expect(put.ShardId === shard.ShardId, `expected put into ${shard.ShardId}, went to ${put.ShardId}`);
    recordPut(put.ShardId, put.SequenceNumber, "pk-latest", data);
    const { records } = await drain(it);
    compareRecords(`LATEST on ${shard.ShardId}`, records, [state.puts[state.puts.length - 1]]);
    return `${shard.ShardId}: exactly ${put.SequenceNumber}`;
  });

  await runCase("12-at-timestamp", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    const ts = need(state.timeBeforeFirstPut, "time before the first put");
    let total = 0;
    for (const s of shards) {
      const it = await iteratorFor(s.ShardId, "AT_TIMESTAMP", { Timestamp: ts });
      const { records } = await drain(it);
      compareRecords(`AT_TIMESTAMP ${s.ShardId}`, records, putsOn(s.ShardId));
      total += records.length;
    }
    return `${total} records from ${ts.toISOString()} on`;
  });

  await runCase("13-get-records-limit-1", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    const shardId = shards.map((s) => s.ShardId).sort((a, b) => putsOn(b).length - putsOn(a).length)[0];
    const want = putsOn(shardId);
    let it = await iteratorFor(shardId, "TRIM_HORIZON");
    const got = [];
    let calls = 0;
    while (got.length < want.length && calls < want.length + 10) {
      const out = await send(new GetRecordsCommand({ ShardIterator: it, Limit: 1 }));
      calls++;
      expect((out.Records || []).length <= 1, `Limit 1 returned ${(out.Records || []).length} records`);
      got.push(...(out.Records || []));
      it = out.NextShardIterator;
      expect(it, "NextShardIterator missing while reading");
    }
    compareRecords(`${shardId} one by one`, got, want);
    const tooMany = await expectError(send(new GetRecordsCommand({ ShardIterator: it, Limit: 10001 })),
      ["ValidationException"], "getRecords with Limit 10001");
    return { detail: `${shardId}: ${got.length} records in ${calls} calls; Limit 10001 -> ${tooMany.name}`, error: tooMany };
  });

  await runCase("14-tampered-iterator", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    const it = await iteratorFor(shards[0].ShardId, "TRIM_HORIZON");
    const mid = Math.floor(it.length / 2);
    const flipped = it[mid] === "A" ? "B" : "A";
    const tampered = it.slice(0, mid) + flipped + it.slice(mid + 1);
    let e;
    try {
      const out = await send(new GetRecordsCommand({ ShardIterator: tampered, Limit: 1 }));
      throw new CaseFailure(`expected InvalidArgumentException, but the call succeeded with ` +
        `${(out.Records || []).length} records`);
    } catch (err) {
      if (err instanceof CaseFailure) throw err;
      e = err;
    }
    if (e.name !== "InvalidArgumentException") {
      throw new CaseFailure(`expected InvalidArgumentException, saw ${e.name}`, e);
    }
    return { detail: `char ${mid} of ${it.length} flipped -> InvalidArgumentException`, error: e };
  });

  await runCase("15-tags", async () => {
    need(state.shards, "the provisioned stream");
    await send(new AddTagsToStreamCommand({ StreamName: STREAM, Tags: { a: "1", b: "2" } }));
    const l1 = await send(new ListTagsForStreamCommand({ StreamName: STREAM }));
    expect(l1.HasMoreTags === false, `expected HasMoreTags false, saw ${l1.HasMoreTags}`);
    const t1 = l1.Tags || [];
    const m1 = Object.fromEntries(t1.map((t) => [t.Key, t.Value]));
    expect(t1.length === 2 && m1.a === "1" && m1.b === "2", `after add: expected a=1,b=2, saw ${JSON.stringify(t1)}`);
    await send(new RemoveTagsFromStreamCommand({ StreamName: STREAM, TagKeys: ["a"] }));
    const t2 = (await send(new ListTagsForStreamCommand({ StreamName: STREAM }))).Tags || [];
    expect(t2.length === 1 && t2[0].Key === "b" && t2[0].Value === "2", `after remove: expected only b=2, saw ${JSON.stringify(t2)}`);
    return "add a,b -> both listed; remove a -> only b";
  });

  await runCase("16-retention-period", async () => {
    need(state.shards, "the provisioned stream");
    const hours = async () =>
      (await send(new DescribeStreamSummaryCommand({ StreamName: STREAM }))).StreamDescriptionSummary.RetentionPeriodHours;
    await send(new IncreaseStreamRetentionPeriodCommand({ StreamName: STREAM, RetentionPeriodHours: 48 }));
    const h1 = await hours();
    expect(h1 === 48, `after increase: expected 48, saw ${h1}`);
    await send(new DecreaseStreamRetentionPeriodCommand({ StreamName: STREAM, RetentionPeriodHours: 24 }));
    const h2 = await hours();
    expect(h2 === 24, `after decrease: expected 24, saw ${h2}`);
    const up = await expectError(send(new IncreaseStreamRetentionPeriodCommand({ StreamName: STREAM, RetentionPeriodHours: 12 })),
      ["InvalidArgumentException"], "increaseStreamRetentionPeriod to less than the current 24 hours");
    const down = await expectError(send(new DecreaseStreamRetentionPeriodCommand({ StreamName: STREAM, RetentionPeriodHours: 23 })),
      ["InvalidArgumentException"], "decreaseStreamRetentionPeriod below the 24-hour minimum");
    const h3 = await hours();
    expect(h3 === 24, `after the refused changes: expected 24, saw ${h3}`);
    return { detail: `48 then 24; increase to 12 -> ${up.name}; decrease to 23 -> ${down.name}`, error: down };
  });

  await runCase("17-missing-stream", async () => {
    const e1 = await expectError(send(new DescribeStreamCommand({ StreamName: MISSING })),
      ["ResourceNotFoundException"], "describeStream of a missing stream");
    const e2 = await expectError(send(new PutRecordCommand({ StreamName: MISSING, PartitionKey: "k", Data: utf8("x") })),
      ["ResourceNotFoundException"], "putRecord to a missing stream");
    const e3 = await expectError(send(new GetShardIteratorCommand({
      StreamName: STREAM, ShardId: "shardId-000000000099", ShardIteratorType: "TRIM_HORIZON",
    })), ["ResourceNotFoundException"], "getShardIterator of a missing shard");
    return { detail: `describeStream -> ${errStr(e1)}; putRecord, getShardIterator of a missing shard -> ` +
      `ResourceNotFoundException`, error: e3 };
  });

  await runCase("18-put-record-too-large", async () => {
    need(state.shards, "the provisioned stream");
    const e = await expectError(
      send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: "big", Data: new Uint8Array(1024 * 1024 + 1) })),
      ["ValidationException"], "putRecord with 1 MiB + 1 byte");
    return { detail: `rejected with ${e.name}`, error: e };
  });

  await runCase("19-put-records-501", async () => {
    need(state.shards, "the provisioned stream");
    const records = Array.from({ length: 501 }, (_, i) => ({ PartitionKey: `k${i}`, Data: utf8("x") }));
    const e = await expectError(send(new PutRecordsCommand({ StreamName: STREAM, Records: records })),
      ["ValidationException"], "putRecords with 501 records");
    return { detail: `rejected with ${e.name}`, error: e };
  });

  await runCase("20-stream-arn", async () => {
    need(state.shards, "the provisioned stream");
    const sum = (await send(new DescribeStreamSummaryCommand({ StreamName: STREAM }))).StreamDescriptionSummary;
    const arn = sum.StreamARN;
    expect(typeof arn === "string" && arn.startsWith("arn:"), `expected a StreamARN, saw ${JSON.stringify(arn)}`);
    state.streamArn = arn;
    const data = utf8("via-arn");
    const put = await send(new PutRecordCommand({ StreamARN: arn, PartitionKey: "pk-arn", Data: data }));
    expect(isDecimal(put.SequenceNumber), `putRecord by ARN: bad SequenceNumber ${put.SequenceNumber}`);
    recordPut(put.ShardId, put.SequenceNumber, "pk-arn", data);
    const it = await send(new GetShardIteratorCommand({
      StreamARN: arn, ShardId: put.ShardId, ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: put.SequenceNumber,
    }));
    expect(it.ShardIterator, "getShardIterator by ARN: no ShardIterator");
    const out = await send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 1, StreamARN: arn }));
    compareRecords("read by ARN", out.Records || [], [state.puts[state.puts.length - 1]]);
    return `${arn}: put ${put.SequenceNumber} on ${put.ShardId} and read it back`;
  });

  await runCase("21-input-validation", async () => {
    const shards = need(state.shards, "shards of the provisioned stream");
    const shardId = shards[0].ShardId;
    // Each check runs even when an earlier one fails; the case reports all of them.
    const checks = [
      ["putRecord with an empty PartitionKey", ["ValidationException"],
        () => send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: "", Data: utf8("x") }))],
      ["putRecord with a 257-character PartitionKey", ["ValidationException"],
        () => send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: "k".repeat(257), Data: utf8("x") }))],
      ["createStream named \"bad name!\"", ["ValidationException"],
        () => send(new CreateStreamCommand({ StreamName: "bad name!", ShardCount: 1 }))],
      ["listStreams with Limit 0", ["ValidationException"],
        () => send(new ListStreamsCommand({ Limit: 0 }))],
      ["getShardIterator AT_SEQUENCE_NUMBER without StartingSequenceNumber", ["InvalidArgumentException"],
        () => send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: shardId, ShardIteratorType: "AT_SEQUENCE_NUMBER" }))],
      ["getShardIterator AT_TIMESTAMP an hour ahead", ["InvalidArgumentException"],
        () => send(new GetShardIteratorCommand({
          StreamName: STREAM, ShardId: shardId, ShardIteratorType: "AT_TIMESTAMP", Timestamp: new Date(Date.now() + 3600 * 1000),
        }))],
    ];
    const results = [];
    for (const [what, names, call] of checks) {
      try {
        const e = await expectError(Promise.resolve().then(call), names, what);
        results.push({ ok: true, text: `${what} -> ${e.name}` });
      } catch (e) {
        if (!(e instanceof CaseFailure)) throw e;
        results.push({ ok: false, text: `FAILED ${e.message}${e.seenError ? ` (${errStr(e.seenError)})` : ""}` });
      }
    }
    const text = results.map((r) => r.text).join("; ");
    expect(results.every((r) => r.ok), text);
    return text;
  });

  /** Runs listStreams with other credentials; it must fail with `name` and HTTP 400. */
  async function expectRejectedCredentials(accessKey, secret, name) {
    const bad = makeClient(secret, accessKey);
    try {
      const e = await expectError(bad.send(new ListStreamsCommand({ Limit: 1 })), [name], "listStreams");
      expect(httpStatus(e) === 400, `expected HTTP 400 with ${name}, saw ${httpStatus(e)}`);
      return { detail: `rejected with ${e.name} (http ${httpStatus(e)})`, error: e };
    } finally {
      bad.destroy();
    }
  }

  await runCase("22-wrong-secret", () =>
    expectRejectedCredentials(ACCESS_KEY, SECRET_KEY + "-wrong", "InvalidSignatureException"));

  await runCase("23-unknown-access-key", () =>
    expectRejectedCredentials(`${ACCESS_KEY}UNKNOWN`, SECRET_KEY, "UnrecognizedClientException"));

  await runCase("24-subscribe-to-shard", async () => {
    const shardId = state.shards ? state.shards[0].ShardId : "shardId-000000000000";
    const arn = state.streamArn || `arn:aws:kinesis:us-east-1:000000000000:stream/${STREAM}`;
    const consumerArn = `${arn}/consumer/${PREFIX}-consumer:1`;
    let out;
    try {
      out = await send(new SubscribeToShardCommand({
        ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: { Type: "LATEST" },
      }));
    } catch (e) {
      if (!httpStatus(e)) throw new CaseFailure("expected a service error response, saw a transport/client error", e);
      // AWS: no such consumer; edgestream: no enhanced fan-out at all.
      const names = ["ResourceNotFoundException", "UnsupportedOperationException"];
      if (!names.includes(e.name)) throw new CaseFailure(`expected ${names.join(" or ")}, saw ${e.name}`, e);
      if (httpStatus(e) !== 400 || !e.message) {
        throw new CaseFailure(`expected HTTP 400 with a message, saw http ${httpStatus(e)}`, e);
      }
      return { detail: `failed with ${e.name} (http ${httpStatus(e)})`, error: e };
    }
    // Unexpected success: close the event stream so it doesn't hang the run.
    try {
      const stream = out.EventStream;
      if (stream && stream.return) await stream.return();
    } catch (_) { /* ignore */ }
    throw new CaseFailure("expected subscribeToShard to fail, but it returned an event stream");
  });

  await runCase("25-delete-stream", async () => {
    need(state.created.length ? true : null, "no stream was created");
    const notes = [];
    for (const name of state.created) {
      await send(new DeleteStreamCommand({ StreamName: name }));
      let last = null;
      for (let i = 0; i < 50; i++) {
        try {
          const d = await send(new DescribeStreamCommand({ StreamName: name }));
          last = d.StreamDescription.StreamStatus;
          expect(last === "DELETING", `${name}: after deleteStream expected DELETING or not found, saw ${last}`);
        } catch (e) {
          if (e instanceof CaseFailure) throw e;
          if (e.name === "ResourceNotFoundException") { last = e; break; }
          throw new CaseFailure(`${name}: describeStream after delete: expected ResourceNotFoundException, saw ${e.name}`, e);
        }
        await sleep(100);
      }
      expect(last instanceof Error, `${name}: still ${last} after 50 polls`);
      notes.push(`${name} gone`);
    }
    const again = await expectError(send(new DeleteStreamCommand({ StreamName: state.created[0] })),
      ["ResourceNotFoundException"], "deleteStream of a deleted stream");
    return { detail: notes.join(", ") + " (ResourceNotFoundException); deleting again -> " + again.name, error: again };
  });

  emit({ case: "summary", ok: true, passed, failed });
}

main()
  .catch((e) => {
    // Only reachable through a bug in this script; still report it as data.
    failed++;
    emit({ case: "internal", ok: false, detail: "driver crashed", error: errStr(e) });
    emit({ case: "summary", ok: true, passed, failed });
  })
  .finally(() => {
    client.destroy();
    // HTTP/2 sessions or a timed-out request may keep handles open; stdout is flushed first.
    process.stdout.write("", () => process.exit(0));
  });
