#!/usr/bin/env node
/*
 * s2.js - conformance driver for edgestream using the OFFICIAL S2 TypeScript
 * SDK (@s2-dev/streamstore, pinned in package.json), unchanged.
 *
 * The expectations are those of S2 (s2.dev): error classes, statuses and
 * codes, provision results, ack positions, timestamping, fencing, trims and
 * read bounds. JUnit runs it: OfficialS2ClientTest.
 *
 * Usage:
 *   node s2.js <endpoint-url> <adminToken> <readerToken> [--fetch] [--prefix=NAME]
 *
 *   <endpoint-url>  e.g. http://127.0.0.1:4567 (used as both the account and
 *                   the basin endpoint, so the basin travels in `s2-basin`)
 *   <readerToken>   a token that may only READ streams named sensor-* in any basin
 *   --fetch         `basin.stream(name, {forceTransport: "fetch"})`: read
 *                   sessions over SSE, append sessions as sequential POSTs.
 *                   Without it the SDK's default session transport is used,
 *                   which in Node is s2s over h2c (HTTP/2 with prior knowledge).
 *   --prefix=NAME   basin-name prefix (default: derived from the clock), so
 *                   two runs against the same daemon never collide.
 *
 * Environment:
 *   S2JS_CASE_TIMEOUT_MS  per-case timeout (default 20000).
 *
 * Output: one JSON object per line on stdout, one per case:
 *   {"case":"<name>","ok":true|false,"detail":"...","error":"<e.name>: <message>"}
 * The last line is {"case":"summary","ok":true,"passed":N,"failed":M}.
 * The process exits 0 once all cases have run (a failing case never stops
 * later ones); it exits 2 only on bad usage.
 */
import {
  S2,
  S2Environment,
  AppendRecord,
  AppendInput,
  Producer,
  BatchTransform,
  S2Error,
  SeqNumMismatchError,
  FencingTokenMismatchError,
  RangeNotSatisfiableError,
} from "@s2-dev/streamstore";

// ---------------------------------------------------------------- arguments

const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const badFlags = flags.filter((f) => f !== "--fetch" && !f.startsWith("--prefix="));
if (positional.length !== 3 || badFlags.length > 0) {
  process.stderr.write("usage: node s2.js <endpoint-url> <adminToken> <readerToken> [--fetch] [--prefix=NAME]\n");
  process.exit(2);
}
const [ENDPOINT, ADMIN_TOKEN, READER_TOKEN] = positional;
const FETCH = flags.includes("--fetch");
const prefixFlag = flags.find((f) => f.startsWith("--prefix="));
const PREFIX = prefixFlag ? prefixFlag.slice("--prefix=".length)
  : `${FETCH ? "jf" : "js"}${Date.now().toString(36)}`;
const CASE_TIMEOUT_MS = Number(process.env.S2JS_CASE_TIMEOUT_MS || 20000);

// basin names: 8-48 of a-z0-9-, starting and ending with a letter or digit
const BASIN = `${PREFIX}-data`; // streams for the data-plane cases
const ADMIN_BASIN = `${PREFIX}-admin`; // stream admin cases

/** A client with `token`; no retries, so every server error surfaces as it is. */
function makeClient(token, retry = { maxAttempts: 1 }) {
  return new S2({ accessToken: token, endpoints: { account: ENDPOINT, basin: ENDPOINT }, retry });
}

const admin = makeClient(ADMIN_TOKEN);
const clients = [admin];
const TRANSPORT = FETCH ? { forceTransport: "fetch" } : undefined;

/** The stream `name` of basin `basin` as seen by `client`, over this run's session transport. */
function streamOf(name, basin = BASIN, client = admin) {
  return client.basin(basin).stream(name, TRANSPORT);
}

// ---------------------------------------------------------------- case helpers

class CaseFailure extends Error {
  constructor(detail, seenError) {
    super(detail);
    this.seenError = seenError;
  }
}

function expect(cond, detail) {
  if (!cond) throw new CaseFailure(typeof detail === "function" ? detail() : detail);
}

function eq(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new CaseFailure(`${what}: expected ${e}, saw ${a}`);
}

function errStr(e) {
  const msg = String(e && e.message);
  const extra = e instanceof S2Error ? ` [status ${e.status}${e.code ? `, code ${e.code}` : ""}]` : "";
  return `${e && e.name}: ${msg.length > 400 ? msg.slice(0, 400) + "...[cut]" : msg}${extra}`;
}

/**
 * Awaits `promise`, which must reject with an S2Error matching `want`:
 * {cls?, status?, code?}. Returns the error; fails the case otherwise.
 */
async function expectError(promise, want, what) {
  let result;
  try {
    result = await promise;
  } catch (e) {
    const problems = [];
    if (want.cls && !(e instanceof want.cls)) problems.push(`class ${want.cls.name}`);
    if (!want.cls && !(e instanceof S2Error)) problems.push("an S2Error");
    if (want.status !== undefined && e.status !== want.status) {
      const statuses = Array.isArray(want.status) ? want.status : [want.status];
      if (!statuses.includes(e.status)) problems.push(`status ${statuses.join("|")}`);
    }
    if (want.code !== undefined && e.code !== want.code) problems.push(`code ${want.code}`);
    if (problems.length > 0) {
      throw new CaseFailure(`${what}: expected an error with ${problems.join(", ")}; saw ${e && e.name} ` +
        `status ${e && e.status} code ${e && e.code}`, e);
    }
    return e;
  }
  throw new CaseFailure(`${what}: expected ${JSON.stringify({ ...want, cls: want.cls && want.cls.name })}, ` +
    `but the call succeeded (${JSON.stringify(result).slice(0, 200)})`);
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

async function runCase(name, fn, timeoutMs = CASE_TIMEOUT_MS) {
  const line = { case: name, ok: false, detail: "" };
  try {
    const out = await withTimeout(Promise.resolve().then(fn), timeoutMs, name);
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
      line.detail = "unexpected exception";
      line.error = errStr(e);
    }
  }
  if (line.ok) passed++; else failed++;
  emit(line);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ms = (d) => (d instanceof Date ? d.getTime() : d);
const pos = (p) => p && { seqNum: p.seqNum, timestamp: ms(p.timestamp) };
const bytesEqual = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const str = (...bodies) => bodies.map((body) => AppendRecord.string({ body }));
const input = (records, options) => AppendInput.create(records, options);
const seqs = (records) => records.map((r) => r.seqNum);
const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);

async function createStream(name, config, basin = BASIN) {
  await admin.basin(basin).streams.create({ stream: name, config });
  return streamOf(name, basin);
}

/** Reads every record of `stream` from seq 0 (unary reads, up to the tail). */
async function readAll(stream, as) {
  const { tail } = await stream.checkTail();
  const out = [];
  let next = 0;
  while (next < tail.seqNum) {
    const batch = await stream.read({ start: { from: { seqNum: next } } }, as ? { as } : undefined);
    if (batch.records.length === 0) break;
    out.push(...batch.records);
    next = batch.records[batch.records.length - 1].seqNum + 1;
  }
  return out;
}

// ---------------------------------------------------------------- 1. basins

async function basinCases() {
  await runCase("basin-create", async () => {
    const before = Date.now();
    const info = await admin.basins.create({ basin: BASIN });
    const info2 = await admin.basins.create({ basin: ADMIN_BASIN });
    eq(info.name, BASIN, "name");
    eq(info2.name, ADMIN_BASIN, "name");
    expect(info.createdAt instanceof Date && Math.abs(info.createdAt.getTime() - before) < 60_000,
      `createdAt ${info.createdAt} should be about now`);
    expect(!info.deletedAt, `deletedAt should be empty, saw ${info.deletedAt}`);
    return `created ${BASIN} and ${ADMIN_BASIN}`;
  });

  await runCase("endpoints-from-environment", async () => {
    // the SDK's other way to be pointed at the gateway: S2_ACCOUNT_ENDPOINT and S2_BASIN_ENDPOINT
    process.env.S2_ACCOUNT_ENDPOINT = ENDPOINT;
    process.env.S2_BASIN_ENDPOINT = ENDPOINT;
    try {
      const fromEnv = new S2({ ...S2Environment.parse(), accessToken: ADMIN_TOKEN, retry: { maxAttempts: 1 } });
      clients.push(fromEnv);
      const listed = await fromEnv.basins.list({ prefix: BASIN });
      expect(listed.basins.some((b) => b.name === BASIN), `basin ${BASIN} listed through the environment's endpoint`);
      const tail = await createStream("env-endpoint").then(() => fromEnv.basin(BASIN).stream("env-endpoint")
        .checkTail());
      eq(tail.tail.seqNum, 0, "tail of a new stream through the environment's endpoint");
      return "S2_ACCOUNT_ENDPOINT and S2_BASIN_ENDPOINT reach the gateway";
    } finally {
      delete process.env.S2_ACCOUNT_ENDPOINT;
      delete process.env.S2_BASIN_ENDPOINT;
    }
  });

  await runCase("basin-create-duplicate-409", async () => {
    const e = await expectError(admin.basins.create({ basin: BASIN }),
      { status: 409, code: "resource_already_exists" }, "second create of the same basin");
    return { detail: "409 resource_already_exists", error: e };
  });

  await runCase("basin-create-request-token-idempotent", async () => {
    // The SDK sends one random s2-request-token per create() call and reuses it
    // only on its own retries; the request options it spreads into the call
    // let us send the same token twice, as a retry after a lost reply would.
    const name = `${PREFIX}-idem`;
    const token = `tok-${PREFIX}`;
    const config = { createStreamOnRead: true };
    const first = await admin.basins.create({ basin: name, config }, { headers: { "s2-request-token": token } });
    const second = await admin.basins.create({ basin: name, config }, { headers: { "s2-request-token": token } });
    eq(second.name, name, "name of the retried create");
    eq(ms(second.createdAt), ms(first.createdAt), "createdAt of the retried create (the same basin)");
    const e1 = await expectError(admin.basins.create({ basin: name, config: { createStreamOnRead: false } },
      { headers: { "s2-request-token": token } }), { status: 409, code: "resource_already_exists" },
      "same token, different config");
    await expectError(admin.basins.create({ basin: name, config }, { headers: { "s2-request-token": "other" } }),
      { status: 409, code: "resource_already_exists" }, "other token, same config");
    await admin.basins.delete({ basin: name });
    return { detail: "same token + config -> same basin; other config or token -> 409", error: e1 };
  });

  await runCase("basin-list-prefix-start-after-limit", async () => {
    const p = `${PREFIX}-ls`;
    for (const s of ["a", "b", "c"]) await admin.basins.create({ basin: `${p}-${s}` });
    const page1 = await admin.basins.list({ prefix: p, limit: 2 });
    eq(page1.basins.map((b) => b.name), [`${p}-a`, `${p}-b`], "page 1");
    eq(page1.hasMore, true, "page 1 hasMore");
    const page2 = await admin.basins.list({ prefix: p, startAfter: `${p}-b`, limit: 2 });
    eq(page2.basins.map((b) => b.name), [`${p}-c`], "page 2");
    eq(page2.hasMore, false, "page 2 hasMore");
    const all = [];
    for await (const b of admin.basins.listAll({ prefix: p, limit: 1 })) all.push(b.name);
    eq(all, [`${p}-a`, `${p}-b`, `${p}-c`], "listAll with limit 1");
    for (const s of ["a", "b", "c"]) await admin.basins.delete({ basin: `${p}-${s}` });
    return "pages of 2 with hasMore, startAfter, listAll";
  });

  await runCase("basin-get-config", async () => {
    const name = `${PREFIX}-cfg`;
    await admin.basins.create({
      basin: name,
      config: {
        createStreamOnAppend: true,
        defaultStreamConfig: { storageClass: "standard", retentionPolicy: { ageSecs: 3600 } },
      },
    });
    const cfg = await admin.basins.getConfig({ basin: name });
    eq(cfg.createStreamOnAppend, true, "createStreamOnAppend");
    eq(!!cfg.createStreamOnRead, false, "createStreamOnRead");
    eq(cfg.defaultStreamConfig && cfg.defaultStreamConfig.storageClass, "standard", "default storageClass");
    eq(cfg.defaultStreamConfig && cfg.defaultStreamConfig.retentionPolicy, { ageSecs: 3600 }, "default retention");
    await admin.basins.delete({ basin: name });
    return `config ${JSON.stringify(cfg)}`;
  });

  await runCase("basin-ensure-created-noop-updated", async () => {
    const name = `${PREFIX}-ens`;
    const r1 = await admin.basins.ensure({ basin: name, config: { createStreamOnRead: true } });
    eq(r1.result, "created", "first ensure");
    eq(r1.basin.name, name, "basin name");
    const r2 = await admin.basins.ensure({ basin: name, config: { createStreamOnRead: true } });
    eq(r2.result, "noop", "same config");
    const r3 = await admin.basins.ensure({ basin: name, config: { createStreamOnRead: false } });
    eq(r3.result, "updated", "changed config");
    const cfg = await admin.basins.getConfig({ basin: name });
    eq(!!cfg.createStreamOnRead, false, "createStreamOnRead after the update");
    await admin.basins.delete({ basin: name });
    return "created, noop, updated";
  });

  await runCase("basin-reconfigure-create-stream-on-append", async () => {
    const name = `${PREFIX}-rcf`;
    await admin.basins.create({ basin: name });
    const s = admin.basin(name).stream("auto", TRANSPORT);
    await expectError(s.append(input(str("x"))), { status: 404, code: "stream_not_found" },
      "append before create_stream_on_append");
    const cfg = await admin.basins.reconfigure({ basin: name, createStreamOnAppend: true });
    eq(cfg.createStreamOnAppend, true, "reconfigure response");
    const ack = await s.append(input(str("x", "y")));
    eq([ack.start.seqNum, ack.end.seqNum], [0, 2], "ack of the auto-creating append");
    const listed = await admin.basin(name).streams.list();
    eq(listed.streams.map((x) => x.name), ["auto"], "streams after the append");
    await admin.basins.delete({ basin: name });
    return "404 before, auto-created after the reconfigure";
  });

  await runCase("basin-delete-then-not-found", async () => {
    const name = `${PREFIX}-del`;
    await admin.basins.create({ basin: name });
    await admin.basins.delete({ basin: name });
    const e = await expectError(admin.basins.getConfig({ basin: name }), { status: 404, code: "basin_not_found" },
      "getConfig after delete");
    await expectError(admin.basins.delete({ basin: name }), { status: 404, code: "basin_not_found" },
      "second delete");
    return { detail: "404 basin_not_found", error: e };
  });
}

// ---------------------------------------------------------------- 2. streams

async function streamAdminCases() {
  const streams = admin.basin(ADMIN_BASIN).streams;

  await runCase("stream-create-config-round-trip", async () => {
    const info = await streams.create({
      stream: "configured",
      config: {
        retentionPolicy: { ageSecs: 7200 },
        timestamping: { mode: "client-require", uncapped: true },
        storageClass: "standard",
      },
    });
    eq(info.name, "configured", "name");
    const cfg = await streams.getConfig({ stream: "configured" });
    eq(cfg.retentionPolicy, { ageSecs: 7200 }, "retentionPolicy");
    eq(cfg.timestamping && cfg.timestamping.mode, "client-require", "timestamping.mode");
    eq(cfg.timestamping && cfg.timestamping.uncapped, true, "timestamping.uncapped");
    eq(cfg.storageClass, "standard", "storageClass");
    const e = await expectError(streams.create({ stream: "configured" }), { status: 409,
      code: "resource_already_exists" }, "second create");
    return { detail: `config ${JSON.stringify(cfg)}; second create 409`, error: e };
  });

  await runCase("stream-default-config", async () => {
    await streams.create({ stream: "defaults" });
    const cfg = await streams.getConfig({ stream: "defaults" });
    eq(cfg.storageClass, "express", "storageClass");
    eq(cfg.retentionPolicy, { ageSecs: 604800 }, "retentionPolicy");
    eq(cfg.timestamping && cfg.timestamping.mode, "client-prefer", "timestamping.mode");
    eq(!!(cfg.timestamping && cfg.timestamping.uncapped), false, "timestamping.uncapped");
    return `config ${JSON.stringify(cfg)}`;
  });

  await runCase("stream-list-prefix-limit", async () => {
    for (const s of ["l-1", "l-2", "l-3"]) await streams.create({ stream: s });
    const p1 = await streams.list({ prefix: "l-", limit: 2 });
    eq(p1.streams.map((s) => s.name), ["l-1", "l-2"], "page 1");
    eq(p1.hasMore, true, "page 1 hasMore");
    const p2 = await streams.list({ prefix: "l-", startAfter: "l-2" });
    eq(p2.streams.map((s) => s.name), ["l-3"], "page 2");
    eq(p2.hasMore, false, "page 2 hasMore");
    const all = await streams.list();
    expect(all.streams.length >= 5, `unfiltered list has ${all.streams.length} streams`);
    return "prefix, limit, startAfter, hasMore";
  });

  await runCase("stream-reconfigure-retention-infinite", async () => {
    await streams.create({ stream: "reconf", config: { retentionPolicy: { ageSecs: 60 }, storageClass: "standard" } });
    const cfg = await streams.reconfigure({ stream: "reconf", retentionPolicy: { infinite: {} } });
    expect(cfg.retentionPolicy && "infinite" in cfg.retentionPolicy,
      `reconfigure response retentionPolicy ${JSON.stringify(cfg.retentionPolicy)}`);
    eq(cfg.storageClass, "standard", "storageClass kept by the patch");
    const got = await streams.getConfig({ stream: "reconf" });
    expect(got.retentionPolicy && "infinite" in got.retentionPolicy,
      `getConfig retentionPolicy ${JSON.stringify(got.retentionPolicy)}`);
    return `config ${JSON.stringify(got)}`;
  });

  await runCase("stream-ensure-created-noop-updated", async () => {
    const r1 = await streams.ensure({ stream: "ens", config: { storageClass: "standard" } });
    eq(r1.result, "created", "first ensure");
    eq(r1.stream.name, "ens", "name");
    const r2 = await streams.ensure({ stream: "ens", config: { storageClass: "standard" } });
    eq(r2.result, "noop", "same config");
    const r3 = await streams.ensure({ stream: "ens", config: { storageClass: "express" } });
    eq(r3.result, "updated", "changed config");
    eq((await streams.getConfig({ stream: "ens" })).storageClass, "express", "storageClass after the update");
    return "created, noop, updated";
  });

  await runCase("stream-delete-then-not-found", async () => {
    await streams.create({ stream: "doomed" });
    const s = streamOf("doomed", ADMIN_BASIN);
    await s.append(input(str("bye")));
    await streams.delete({ stream: "doomed" });
    const e = await expectError(s.read({ start: { from: { seqNum: 0 } } }), { status: 404, code: "stream_not_found" },
      "read after delete");
    await expectError(streams.getConfig({ stream: "doomed" }), { status: 404, code: "stream_not_found" },
      "getConfig after delete");
    const listed = await streams.list({ prefix: "doomed" });
    eq(listed.streams.map((x) => x.name), [], "listed after delete");
    return { detail: "404 stream_not_found", error: e };
  });

  await runCase("stream-name-slash-non-ascii", async () => {
    const name = "dir/sub/ström-✓ 温度";
    await streams.create({ stream: name });
    const s = streamOf(name, ADMIN_BASIN);
    const ack = await s.append(input(str("ü-body")));
    eq([ack.start.seqNum, ack.end.seqNum], [0, 1], "ack");
    const batch = await s.read({ start: { from: { seqNum: 0 } } });
    eq(batch.records.map((r) => r.body), ["ü-body"], "bodies read");
    const listed = await streams.list({ prefix: "dir/" });
    eq(listed.streams.map((x) => x.name), [name], "listed by prefix");
    await streams.getConfig({ stream: name });
    eq((await s.checkTail()).tail.seqNum, 1, "tail");
    return `stream ${JSON.stringify(name)}`;
  });
}

// ---------------------------------------------------------------- 3. appends

async function appendCases() {
  await runCase("append-json-headers", async () => {
    const s = await createStream("app-json");
    const ack = await s.append(input([
      AppendRecord.string({ body: "one", headers: [["k", "v"], ["dup", "1"], ["dup", "2"]] }),
      AppendRecord.string({ body: "two" }),
      AppendRecord.string({ body: "", headers: [["only", "header"]] }),
    ]));
    eq([ack.start.seqNum, ack.end.seqNum, ack.tail.seqNum], [0, 3, 3], "ack start/end/tail");
    expect(ms(ack.end.timestamp) >= ms(ack.start.timestamp), "end timestamp >= start timestamp");
    const ack2 = await s.append(input(str("four")));
    eq([ack2.start.seqNum, ack2.end.seqNum, ack2.tail.seqNum], [3, 4, 4], "second ack");
    const batch = await s.read({ start: { from: { seqNum: 0 } } });
    eq(batch.records.map((r) => [r.seqNum, r.body, r.headers]), [
      [0, "one", [["k", "v"], ["dup", "1"], ["dup", "2"]]],
      [1, "two", []],
      [2, "", [["only", "header"]]],
      [3, "four", []],
    ], "records read");
    return "ack 0..3 tail 3, then 3..4; bodies and headers read back";
  });

  await runCase("append-bytes-protobuf", async () => {
    const s = await createStream("app-bytes");
    const body = new Uint8Array([0, 1, 2, 0xfe, 0xff, 0x80, 0x0a]);
    const hv = new Uint8Array([0xff, 0x00, 0x7f]);
    const ack = await s.append(input([
      AppendRecord.bytes({ body, headers: [[new TextEncoder().encode("bin"), hv]] }),
      AppendRecord.bytes({ body: new Uint8Array(0) }),
    ]));
    eq([ack.start.seqNum, ack.end.seqNum, ack.tail.seqNum], [0, 2, 2], "ack start/end/tail");
    const batch = await s.read({ start: { from: { seqNum: 0 } } }, { as: "bytes" });
    eq(batch.records.length, 2, "records read");
    expect(bytesEqual(batch.records[0].body, body), `body read back ${Buffer.from(batch.records[0].body).toString("hex")}`);
    eq(batch.records[0].headers.length, 1, "headers read");
    expect(bytesEqual(batch.records[0].headers[0][0], new TextEncoder().encode("bin")) &&
      bytesEqual(batch.records[0].headers[0][1], hv), "header name/value bytes");
    eq(batch.records[1].body.length, 0, "empty body");
    return "binary body and header round trip over protobuf";
  });

  await runCase("append-mixed-string-and-bytes", async () => {
    const s = await createStream("app-mixed");
    const ack = await s.append(input([
      AppendRecord.string({ body: "text", headers: [["h", "é"]] }),
      AppendRecord.bytes({ body: new TextEncoder().encode("raw") }),
    ]));
    eq([ack.start.seqNum, ack.end.seqNum], [0, 2], "ack");
    const batch = await s.read({ start: { from: { seqNum: 0 } } });
    eq(batch.records.map((r) => [r.body, r.headers]), [["text", [["h", "é"]]], ["raw", []]], "records read");
    return "one protobuf append of a string and a bytes record";
  });

  await runCase("append-timestamps-client-prefer", async () => {
    const s = await createStream("app-ts-prefer");
    const t0 = Date.now() - 60_000;
    const a1 = await s.append(input([
      AppendRecord.string({ body: "a", timestamp: t0 }),
      AppendRecord.string({ body: "b", timestamp: new Date(t0 + 5) }),
    ]));
    eq([ms(a1.start.timestamp), ms(a1.end.timestamp)], [t0, t0 + 5], "client timestamps kept");
    const before = Date.now();
    const a2 = await s.append(input([AppendRecord.string({ body: "future", timestamp: Date.now() + 3_600_000 })]));
    const after = Date.now();
    const capped = ms(a2.start.timestamp);
    expect(capped >= before - 1000 && capped <= after + 1000,
      `future timestamp should be capped at arrival (${before}..${after}), saw ${capped}`);
    const a3 = await s.append(input([AppendRecord.string({ body: "past", timestamp: t0 - 1000 })]));
    eq(ms(a3.start.timestamp), capped, "an earlier timestamp is raised to the previous record's");
    const a4 = await s.append(input(str("none")));
    expect(ms(a4.start.timestamp) >= capped, "no timestamp -> arrival time");
    const recs = await s.read({ start: { from: { seqNum: 0 } } });
    eq(recs.records.map((r) => ms(r.timestamp)).slice(0, 4), [t0, t0 + 5, capped, capped], "timestamps read back");
    return `kept ${t0}, capped to ${capped}, raised ${t0 - 1000} -> ${capped}`;
  });

  await runCase("append-timestamps-uncapped", async () => {
    const s = await createStream("app-ts-uncapped", { timestamping: { mode: "client-prefer", uncapped: true } });
    const future = Date.now() + 3_600_000;
    const a = await s.append(input([AppendRecord.string({ body: "f", timestamp: future })]));
    eq(ms(a.start.timestamp), future, "future timestamp kept when uncapped");
    return "uncapped keeps a future timestamp";
  });

  await runCase("append-client-require-422", async () => {
    const s = await createStream("app-ts-require", { timestamping: { mode: "client-require" } });
    const e = await expectError(s.append(input(str("no-ts"))), { status: 422 }, "append without timestamp");
    eq((await s.checkTail()).tail.seqNum, 0, "tail after the refused append");
    const t = Date.now() - 1000;
    const a = await s.append(input([AppendRecord.string({ body: "ts", timestamp: t })]));
    eq(ms(a.start.timestamp), t, "timestamp given");
    return { detail: "422 without a timestamp, accepted with one", error: e };
  });

  await runCase("append-arrival-ignores-client", async () => {
    const s = await createStream("app-ts-arrival", { timestamping: { mode: "arrival" } });
    const before = Date.now();
    const a = await s.append(input([AppendRecord.string({ body: "x", timestamp: 1000 })]));
    const after = Date.now();
    const t = ms(a.start.timestamp);
    expect(t >= before - 1000 && t <= after + 1000, `arrival timestamp ${t} outside ${before}..${after}`);
    return `client 1000 replaced by arrival ${t}`;
  });
}

// ---------------------------------------------------------------- 4. conditional and fenced appends

async function conditionalCases() {
  await runCase("append-match-seq-num", async () => {
    const s = await createStream("cond-match");
    await s.append(input(str("a", "b", "c")));
    const ok = await s.append(input(str("d"), { matchSeqNum: 3 }));
    eq(ok.start.seqNum, 3, "matching append");
    const e = await expectError(s.append(input(str("stale"), { matchSeqNum: 1 })),
      { cls: SeqNumMismatchError, status: 412 }, "stale matchSeqNum");
    eq(e.expectedSeqNum, 4, "expectedSeqNum");
    eq((await s.checkTail()).tail.seqNum, 4, "tail after the refused append");
    return { detail: "match ok; mismatch names the tail 4", error: e };
  });

  await runCase("append-match-seq-num-race", async () => {
    await createStream("cond-race");
    const racers = [makeClient(ADMIN_TOKEN), makeClient(ADMIN_TOKEN)];
    clients.push(...racers);
    const streams = racers.map((c) => streamOf("cond-race", BASIN, c));
    const ROUNDS = 20;
    const wins = [0, 0];
    for (let i = 0; i < ROUNDS; i++) {
      const results = await Promise.allSettled(streams.map((s, who) =>
        s.append(input(str(`round-${i}-by-${who}`), { matchSeqNum: i }))));
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won.length === 1 && lost.length === 1, () => `round ${i}: ${won.length} won, ${lost.length} lost` +
        (lost.length ? `; ${errStr(lost[0].reason)}` : ""));
      eq(won[0].value.start.seqNum, i, `round ${i} winner's seq num`);
      const e = lost[0].reason;
      expect(e instanceof SeqNumMismatchError, () => `round ${i} loser: ${errStr(e)}`);
      eq(e.expectedSeqNum, i + 1, `round ${i} loser's expectedSeqNum`);
      wins[results.indexOf(won[0])]++;
    }
    const recs = await readAll(streamOf("cond-race"));
    eq(recs.length, ROUNDS, "records on the stream");
    eq(seqs(recs), range(0, ROUNDS), "seq nums");
    recs.forEach((r, i) => expect(r.body.startsWith(`round-${i}-by-`), `record ${i} is ${r.body}`));
    return `${ROUNDS} rounds, one winner each (wins ${wins.join("/")})`;
  });

  await runCase("append-fence-and-fencing-token", async () => {
    const s = await createStream("cond-fence");
    const f1 = await s.append(input([AppendRecord.fence("writer-1")]));
    eq(f1.start.seqNum, 0, "fence record takes a seq num");
    await s.append(input(str("by-1"), { fencingToken: "writer-1" }));
    await s.append(input([AppendRecord.fence("writer-2")], { fencingToken: "writer-1" }));
    const e = await expectError(s.append(input(str("zombie"), { fencingToken: "writer-1" })),
      { cls: FencingTokenMismatchError, status: 412 }, "append with the old token");
    eq(e.expectedFencingToken, "writer-2", "expectedFencingToken");
    const ok = await s.append(input(str("by-2"), { fencingToken: "writer-2" }));
    eq(ok.start.seqNum, 3, "append with the new token");
    const recs = await s.read({ start: { from: { seqNum: 0 } } });
    eq(recs.records.map((r) => [r.body, r.headers]),
      [["writer-1", [["", "fence"]]], ["by-1", []], ["writer-2", [["", "fence"]]], ["by-2", []]], "records");
    const plain = await s.read({ start: { from: { seqNum: 0 } }, ignoreCommandRecords: true });
    eq(plain.records.map((r) => r.body), ["by-1", "by-2"], "records without commands");
    return { detail: "fenced writer-1 out; writer-2 appends", error: e };
  });

  await runCase("append-trim", async () => {
    const s = await createStream("cond-trim");
    await s.append(input(str(...range(0, 10).map((i) => `r${i}`))));
    const ack = await s.append(input([AppendRecord.trim(5)]));
    eq(ack.start.seqNum, 10, "trim record's seq num");
    const recs = await s.read({ start: { from: { seqNum: 0 } } });
    eq(recs.records[0] && recs.records[0].seqNum, 5, "first record read from 0 after the trim");
    eq(seqs(recs.records), range(5, 11), "seq nums read");
    eq(recs.records[5].headers, [["", "trim"]], "trim command record");
    return "read from 0 starts at 5";
  });
}

// ---------------------------------------------------------------- 5. reads

async function readCases() {
  const s = await createStream("reads").catch(() => streamOf("reads"));
  const base = Date.now() - 100_000;
  // records rec-0..rec-9 (5-byte bodies, metered 8 + 5 = 13 bytes each), timestamps base + 10 i
  await s.append(input(range(0, 10).map((i) => AppendRecord.string({ body: `rec-${i}`, timestamp: base + 10 * i }))))
    .catch(() => undefined);

  await runCase("read-by-seq-num", async () => {
    const b = await s.read({ start: { from: { seqNum: 3 } }, stop: { limits: { count: 2 } } });
    eq(b.records.map((r) => [r.seqNum, r.body, ms(r.timestamp)]), [[3, "rec-3", base + 30], [4, "rec-4", base + 40]],
      "records");
    return "3, 4";
  });

  await runCase("read-by-timestamp", async () => {
    const b = await s.read({ start: { from: { timestamp: base + 45 } }, stop: { limits: { count: 3 } } });
    eq(seqs(b.records), [5, 6, 7], "seq nums from timestamp base+45");
    const d = await s.read({ start: { from: { timestamp: new Date(base + 50) } }, stop: { limits: { count: 1 } } });
    eq(seqs(d.records), [5], "seq nums from timestamp base+50 as a Date");
    return "first record at or after the timestamp";
  });

  await runCase("read-by-tail-offset", async () => {
    const b = await s.read({ start: { from: { tailOffset: 2 } } });
    eq(seqs(b.records), [8, 9], "seq nums");
    const all = await s.read({ start: { from: { tailOffset: 100 } } });
    eq(all.records[0] && all.records[0].seqNum, 0, "tail offset beyond the start saturates at 0");
    return "tailOffset 2 -> 8, 9";
  });

  await runCase("read-limits-count-bytes-until", async () => {
    const c = await s.read({ start: { from: { seqNum: 0 } }, stop: { limits: { count: 4 } } });
    eq(seqs(c.records), [0, 1, 2, 3], "count 4");
    const b = await s.read({ start: { from: { seqNum: 0 } }, stop: { limits: { bytes: 40 } } });
    eq(seqs(b.records), [0, 1, 2], "bytes 40 (13 bytes each)");
    const u = await s.read({ start: { from: { seqNum: 0 } }, stop: { untilTimestamp: base + 30 } });
    eq(seqs(u.records), [0, 1, 2], "until base+30 (exclusive)");
    const both = await s.read({ start: { from: { seqNum: 2 } }, stop: { limits: { count: 5, bytes: 26 } } });
    eq(seqs(both.records), [2, 3], "count 5 and bytes 26");
    return "count, bytes, until";
  });

  await runCase("read-beyond-tail-416", async () => {
    const e = await expectError(s.read({ start: { from: { seqNum: 50 } } }),
      { cls: RangeNotSatisfiableError, status: 416 }, "read from 50 of 10");
    eq(pos(e.tail), { seqNum: 10, timestamp: base + 90 }, "tail in the 416");
    return { detail: "416 with the tail", error: e };
  });

  await runCase("read-clamp-beyond-tail", async () => {
    const c = await createStream("reads-clamp");
    await c.append(input(str("a", "b")));
    const other = makeClient(ADMIN_TOKEN);
    clients.push(other);
    const started = Date.now();
    const appended = sleep(300).then(() => streamOf("reads-clamp", BASIN, other).append(input(str("c"))));
    const b = await c.read({ start: { from: { seqNum: 1000 }, clamp: true }, stop: { waitSecs: 5 } });
    const took = Date.now() - started;
    await appended;
    eq(b.records.map((r) => [r.seqNum, r.body]), [[2, "c"]], "clamped to the tail, then the next record");
    expect(took < 4000, `returned after ${took} ms`);
    const e = await expectError(c.read({ start: { from: { seqNum: 1000 } } }),
      { cls: RangeNotSatisfiableError, status: 416 }, "same read without clamp");
    eq(e.tail && e.tail.seqNum, 3, "416 tail");
    return `clamped read returned seq 2 after ${took} ms`;
  });

  await runCase("read-long-poll-wait", async () => {
    const w = await createStream("reads-wait");
    await w.append(input(str("first")));
    const other = makeClient(ADMIN_TOKEN);
    clients.push(other);
    const started = Date.now();
    const appended = sleep(300).then(() => streamOf("reads-wait", BASIN, other).append(input(str("late"))));
    const b = await w.read({ start: { from: { seqNum: 1 } }, stop: { waitSecs: 10 } });
    const took = Date.now() - started;
    await appended;
    eq(b.records.map((r) => [r.seqNum, r.body]), [[1, "late"]], "records");
    expect(took >= 250 && took < 5000, `returned after ${took} ms (append at 300 ms, wait 10 s)`);
    return `returned after ${took} ms`;
  });

  await runCase("read-as-bytes", async () => {
    const b = await s.read({ start: { from: { seqNum: 8 } } }, { as: "bytes" });
    eq(b.records.length, 2, "records");
    expect(b.records[0].body instanceof Uint8Array, "body is a Uint8Array");
    eq(Buffer.from(b.records[0].body).toString(), "rec-8", "body");
    eq(ms(b.records[1].timestamp), base + 90, "timestamp");
    return "protobuf ReadBatch";
  });

  await runCase("check-tail", async () => {
    const t = await s.checkTail();
    eq(pos(t.tail), { seqNum: 10, timestamp: base + 90 }, "tail");
    const empty = await createStream("reads-empty");
    eq(pos((await empty.checkTail()).tail), { seqNum: 0, timestamp: 0 }, "tail of an empty stream");
    await expectError(streamOf("no-such-stream").checkTail(), { status: 404, code: "stream_not_found" },
      "tail of a missing stream");
    return "10 @ base+90; 0 @ 0; 404";
  });
}

// ---------------------------------------------------------------- 6. read sessions

async function readSessionCases() {
  await runCase("read-session-tails-live-appends", async () => {
    const s = await createStream("rs-live");
    await s.append(input(str("old-0", "old-1")));
    const session = await s.readSession({ start: { from: { tailOffset: 0 } } });
    const other = makeClient(ADMIN_TOKEN);
    clients.push(other);
    const writer = streamOf("rs-live", BASIN, other);
    const got = [];
    const appending = (async () => {
      await sleep(100);
      for (let i = 0; i < 5; i++) await writer.append(input(str(`live-${i}`)));
    })();
    for await (const r of session) {
      got.push([r.seqNum, r.body]);
      if (got.length === 5) break; // cancels the session
    }
    await appending;
    eq(got, range(0, 5).map((i) => [2 + i, `live-${i}`]), "records received");
    return "5 live records in order, then cancelled";
  });

  await runCase("read-session-history-then-live", async () => {
    const s = await createStream("rs-hist");
    await s.append(input(str(...range(0, 50).map((i) => `h${i}`))));
    const session = await s.readSession({ start: { from: { seqNum: 10 } } });
    const got = [];
    let appended = false;
    for await (const r of session) {
      got.push(r.seqNum);
      if (r.seqNum === 49 && !appended) {
        appended = true;
        await s.append(input(str("live")));
      }
      if (got.length === 41) break;
    }
    eq(got, range(10, 51), "seq nums");
    return "history 10..49 then live 50";
  });

  await runCase("read-session-count-limit-ends", async () => {
    const s = await createStream("rs-count");
    await s.append(input(str(...range(0, 10).map((i) => `c${i}`))));
    const session = await s.readSession({ start: { from: { seqNum: 2 } }, stop: { limits: { count: 3 } } });
    const got = [];
    for await (const r of session) got.push([r.seqNum, r.body]);
    eq(got, [[2, "c2"], [3, "c3"], [4, "c4"]], "records");
    return "ended by itself after 3";
  });

  await runCase("read-session-caught-up-tail", async () => {
    const s = await createStream("rs-caught-up");
    await s.append(input(str("a", "b", "c")));
    const session = await s.readSession({ start: { from: { seqNum: 0 } } });
    const got = [];
    const reader = session[Symbol.asyncIterator]();
    for (let i = 0; i < 3; i++) got.push((await reader.next()).value.seqNum);
    const caughtUp = await session.caughtUp();
    const tail = session.lastObservedTail();
    await reader.return();
    eq(got, [0, 1, 2], "records");
    eq(caughtUp && caughtUp.seqNum, 3, "caughtUp() position");
    eq(tail && tail.seqNum, 3, "lastObservedTail()");
    return "caught up at 3 (the tail the server sent at the tail)";
  });

  await runCase("read-session-wait-with-count", async () => {
    const s = await createStream("rs-wait");
    await s.append(input(str("old")));
    const other = makeClient(ADMIN_TOKEN);
    clients.push(other);
    const started = Date.now();
    const session = await s.readSession({ start: { from: { seqNum: 1 } }, stop: { limits: { count: 2 }, waitSecs: 10 } });
    const appending = sleep(200).then(async () => {
      const w = streamOf("rs-wait", BASIN, other);
      await w.append(input(str("n1")));
      await w.append(input(str("n2", "n3")));
    });
    const got = [];
    for await (const r of session) got.push([r.seqNum, r.body]);
    const took = Date.now() - started;
    await appending;
    eq(got, [[1, "n1"], [2, "n2"]], "records");
    expect(took < 5000, `ended after ${took} ms (wait 10 s)`);
    return `followed, ended at the count after ${took} ms`;
  });

  await runCase("read-session-until-ends", async () => {
    const s = await createStream("rs-until");
    const base = Date.now() - 10_000;
    await s.append(input(range(0, 5).map((i) => AppendRecord.string({ body: `u${i}`, timestamp: base + i }))));
    const session = await s.readSession({ start: { from: { seqNum: 0 } }, stop: { untilTimestamp: base + 3 } });
    const got = [];
    for await (const r of session) got.push(r.seqNum);
    eq(got, [0, 1, 2], "records before until");
    return "ended at until";
  });

  await runCase("read-session-bytes-format", async () => {
    const s = await createStream("rs-bytes");
    const body = new Uint8Array([0, 0xff, 0x10, 0x80]);
    await s.append(input([AppendRecord.bytes({ body })]));
    const session = await s.readSession({ start: { from: { seqNum: 0 } }, stop: { limits: { count: 1 } } },
      { as: "bytes" });
    const got = [];
    for await (const r of session) got.push(r);
    eq(got.length, 1, "records");
    expect(bytesEqual(got[0].body, body), `body ${Buffer.from(got[0].body).toString("hex")}`);
    return "binary body over the session";
  });

  await runCase("read-session-beyond-tail-416", async () => {
    const s = await createStream("rs-416");
    await s.append(input(str("a")));
    let err;
    try {
      const session = await s.readSession({ start: { from: { seqNum: 5 } } });
      for await (const r of session) throw new CaseFailure(`received record ${r.seqNum}`);
    } catch (e) {
      if (e instanceof CaseFailure) throw e;
      err = e;
    }
    expect(err, "the session ended without an error");
    expect(err instanceof RangeNotSatisfiableError || err.status === 416, () => `expected 416, saw ${errStr(err)}`);
    return { detail: "416", error: err };
  });
}

// ---------------------------------------------------------------- 7. append sessions and the producer

async function appendSessionCases() {
  await runCase("append-session-pipelined-200", async () => {
    const s = await createStream("as-pipe");
    const session = await s.appendSession();
    const tickets = [];
    for (let i = 0; i < 200; i++) {
      tickets.push(await session.submit(input(str(`b${i}-0`, `b${i}-1`))));
    }
    const acks = await Promise.all(tickets.map((t) => t.ack()));
    await session.close();
    acks.forEach((a, i) => {
      expect(a.start.seqNum === 2 * i && a.end.seqNum === 2 * i + 2,
        `ack ${i}: ${a.start.seqNum}..${a.end.seqNum}, expected ${2 * i}..${2 * i + 2}`);
      expect(a.tail.seqNum >= a.end.seqNum, `ack ${i}: tail ${a.tail.seqNum} < end ${a.end.seqNum}`);
    });
    eq((await s.checkTail()).tail.seqNum, 400, "tail");
    const recs = await readAll(s);
    eq(recs.length, 400, "records");
    expect(recs.every((r, i) => r.body === `b${i >> 1}-${i & 1}`), "bodies in order");
    return "200 batches, acks contiguous and in order";
  });

  await runCase("append-session-backpressure-20mib", async () => {
    const s = await createStream("as-big");
    const BATCHES = 40;
    const body = "x".repeat(512 * 1024 - 8);
    const session = await s.appendSession({ maxInflightBytes: 64 * 1024 * 1024 });
    const tickets = [];
    for (let i = 0; i < BATCHES; i++) tickets.push(await session.submit(input(str(body))));
    const acks = await Promise.all(tickets.map((t) => t.ack()));
    await session.close();
    acks.forEach((a, i) => expect(a.start.seqNum === i && a.end.seqNum === i + 1,
      `ack ${i}: ${a.start.seqNum}..${a.end.seqNum}`));
    const last = session.lastAckedPosition();
    eq(last && last.end.seqNum, BATCHES, "session's last acked end");
    eq((await s.checkTail()).tail.seqNum, BATCHES, "tail");
    const b = await s.read({ start: { from: { seqNum: BATCHES - 1 } } });
    eq(b.records.map((r) => r.body.length), [body.length], "last record's body size");
    return `${BATCHES} x 512 KiB acked`;
  }, 40000);

  await runCase("producer-1000-records", async () => {
    const s = await createStream("as-producer");
    const producer = new Producer(new BatchTransform({ lingerDurationMillis: 5, maxBatchRecords: 64 }),
      await s.appendSession());
    const tickets = [];
    for (let i = 0; i < 1000; i++) tickets.push(await producer.submit(AppendRecord.string({ body: `p${i}` })));
    const acks = await Promise.all(tickets.map((t) => t.ack()));
    await producer.close();
    const seqNums = acks.map((a) => a.seqNum());
    eq(seqNums, range(0, 1000), "ticket seq nums");
    const batches = new Set(acks.map((a) => a.batchAppendAck().start.seqNum)).size;
    expect(batches > 1, `records went out in ${batches} batch(es)`);
    const recs = await readAll(s);
    expect(recs.length === 1000 && recs.every((r, i) => r.body === `p${i}`), `read back ${recs.length} records`);
    return `1000 tickets, ${batches} batches`;
  });

  await runCase("append-session-match-seq-num-failure", async () => {
    const s = await createStream("as-fail");
    await s.append(input(str("a", "b")));
    const session = await s.appendSession();
    const good = await session.submit(input(str("c"), { matchSeqNum: 2 }));
    const bad = await session.submit(input(str("d"), { matchSeqNum: 7 }));
    const goodAck = await good.ack();
    eq(goodAck.start.seqNum, 2, "the good batch");
    const e = await expectError(bad.ack(), { cls: SeqNumMismatchError, status: 412 }, "the bad batch");
    eq(e.expectedSeqNum, 3, "expectedSeqNum");
    expect(session.failureCause(), "the session has a failure cause");
    let after;
    try {
      const t = await session.submit(input(str("e")));
      await t.ack();
    } catch (x) {
      after = x;
    }
    expect(after, "a submit after the failure succeeded");
    await session.close().catch(() => undefined);
    eq((await s.checkTail()).tail.seqNum, 3, "tail");
    return { detail: "mismatch on the second batch; session failed", error: e };
  });
}

async function appendSessionCommandCases() {
  await runCase("append-session-fence-and-trim", async () => {
    const s = await createStream("as-commands");
    const session = await s.appendSession();
    const t1 = await session.submit(input([...str("a", "b", "c"), AppendRecord.fence("sess-1")]));
    const t2 = await session.submit(input([AppendRecord.trim(2), ...str("d")], { fencingToken: "sess-1" }));
    const t3 = await session.submit(input(str("zombie"), { fencingToken: "sess-0" }));
    eq([(await t1.ack()).start.seqNum, (await t2.ack()).start.seqNum], [0, 4], "acks");
    const e = await expectError(t3.ack(), { cls: FencingTokenMismatchError, status: 412 }, "stale fencing token");
    eq(e.expectedFencingToken, "sess-1", "expectedFencingToken");
    await session.close().catch(() => undefined);
    const recs = await s.read({ start: { from: { seqNum: 0 } } });
    eq(seqs(recs.records), [2, 3, 4, 5], "seq nums read from 0 after the trim to 2");
    eq(recs.records.map((r) => r.body).filter((b, i) => i !== 1 && i !== 2), ["c", "d"], "bodies");
    return { detail: "fence + trim command records over the session; stale token refused", error: e };
  });
}

// ---------------------------------------------------------------- 8. auth

async function authCases() {
  await runCase("auth-no-token", async () => {
    const c = makeClient("");
    clients.push(c);
    const e = await expectError(c.basins.list(), { status: 401 }, "list basins without a token");
    await expectError(c.basin(BASIN).stream("app-json").read({ start: { from: { seqNum: 0 } } }), { status: 401 },
      "read without a token");
    return { detail: "401", error: e };
  });

  await runCase("auth-wrong-token", async () => {
    const c = makeClient("not-a-valid-token-0123456789");
    clients.push(c);
    const e = await expectError(c.basins.list(), { status: 401 }, "list basins with a wrong token");
    await expectError(c.basin(BASIN).stream("app-json").append(input(str("x"))), { status: 401 },
      "append with a wrong token");
    return { detail: "401", error: e };
  });

  await runCase("auth-reader-token-scope", async () => {
    await createStream("sensor-x");
    await createStream("other");
    await streamOf("sensor-x").append(input(str("reading")));
    await streamOf("other").append(input(str("secret")));
    const reader = makeClient(READER_TOKEN);
    clients.push(reader);
    const b = await streamOf("sensor-x", BASIN, reader).read({ start: { from: { seqNum: 0 } } });
    eq(b.records.map((r) => r.body), ["reading"], "reader reads sensor-x");
    const e = await expectError(streamOf("sensor-x", BASIN, reader).append(input(str("x"))),
      { status: 403, code: "permission_denied" }, "reader appends to sensor-x");
    await expectError(streamOf("other", BASIN, reader).read({ start: { from: { seqNum: 0 } } }),
      { status: 403, code: "permission_denied" }, "reader reads other");
    await expectError(reader.basins.create({ basin: `${PREFIX}-nope` }), { status: 403 },
      "reader creates a basin");
    return { detail: "reads sensor-x; 403 on append and on other", error: e };
  });

  await runCase("access-token-issue-scope-revoke", async () => {
    await createStream("a");
    await createStream("b");
    const id = `${PREFIX}-appender`;
    const expiresAt = new Date(Date.now() + 3_600_000);
    const issued = await admin.accessTokens.issue({
      id,
      scope: { basins: { exact: BASIN }, streams: { exact: "a" }, ops: ["append"] },
      expiresAt,
    });
    expect(typeof issued.accessToken === "string" && issued.accessToken.length >= 16,
      `issued token ${JSON.stringify(issued)}`);
    const limited = makeClient(issued.accessToken);
    clients.push(limited);
    const ack = await streamOf("a", BASIN, limited).append(input(str("by-token")));
    eq(ack.start.seqNum, 0, "append to a with the token");
    await expectError(streamOf("b", BASIN, limited).append(input(str("x"))), { status: 403 }, "append to b");
    await expectError(streamOf("a", BASIN, limited).read({ start: { from: { seqNum: 0 } } }), { status: 403 },
      "read of a");
    await expectError(streamOf("a", ADMIN_BASIN, limited).append(input(str("x"))), { status: 403 },
      "append to a in another basin");
    const listed = await admin.accessTokens.list({ prefix: id });
    const info = listed.accessTokens.find((t) => t.id === id);
    expect(info, `list does not show ${id}: ${JSON.stringify(listed)}`);
    expect(info.scope.ops && info.scope.ops.includes("append"), `listed ops ${JSON.stringify(info.scope.ops)}`);
    eq(info.scope.streams, { exact: "a" }, "listed streams");
    expect(info.expiresAt && Math.abs(ms(info.expiresAt) - expiresAt.getTime()) < 1000,
      `listed expiresAt ${info.expiresAt}`);
    await admin.accessTokens.revoke({ id });
    const e = await expectError(streamOf("a", BASIN, limited).append(input(str("after-revoke"))), { status: 401 },
      "append after the revoke");
    const relisted = await admin.accessTokens.list({ prefix: id });
    eq(relisted.accessTokens.map((t) => t.id), [], "list after the revoke");
    eq((await streamOf("a").checkTail()).tail.seqNum, 1, "tail of a");
    return { detail: "append to a only; refused after revoke", error: e };
  });
}

// ---------------------------------------------------------------- main

async function main() {
  await basinCases();
  await streamAdminCases();
  await appendCases();
  await conditionalCases();
  await readCases();
  await readSessionCases();
  await appendSessionCases();
  await appendSessionCommandCases();
  await authCases();
  emit({ case: "summary", ok: true, passed, failed });
}

main()
  .catch((e) => {
    emit({ case: "main", ok: false, detail: "the script died", error: errStr(e) });
    failed++;
    emit({ case: "summary", ok: true, passed, failed });
  })
  .finally(async () => {
    await Promise.allSettled(clients.map((c) => (typeof c.close === "function" ? c.close() : undefined)));
    // open HTTP/2 sessions or timers must not keep the process alive
    setTimeout(() => process.exit(0), 200).unref();
  });
