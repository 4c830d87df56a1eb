#!/usr/bin/env node
/*
 * reduct.js - conformance driver for edgestream using the OFFICIAL ReductStore JavaScript client (reduct-js,
 * pinned in package.json), unchanged. JUnit runs it: OfficialReductClientTest.
 *
 * Usage: node reduct.js <endpoint-url> <adminToken> <readerToken> [--prefix=NAME]
 *   <readerToken> may only read entries named sensor-* in any bucket.
 *
 * Output: one JSON object per line, one per case: {"case","ok","detail","error"}; the last line is
 * {"case":"summary","ok":true,"passed":N,"failed":M}. Exit 0 once all cases ran; 2 on bad usage.
 */
import { Client, QuotaType } from "reduct-js";

const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const prefixFlag = process.argv.slice(2).find((a) => a.startsWith("--prefix="));
if (positional.length !== 3) {
  process.stderr.write("usage: node reduct.js <endpoint-url> <adminToken> <readerToken> [--prefix=NAME]\n");
  process.exit(2);
}
const [ENDPOINT, ADMIN_TOKEN, READER_TOKEN] = positional;
const PREFIX = prefixFlag ? prefixFlag.slice("--prefix=".length) : `js${Date.now().toString(36)}`;
const CASE_TIMEOUT_MS = Number(process.env.REDUCTJS_CASE_TIMEOUT_MS || 20000);

let passed = 0;
let failed = 0;
class CaseFailure extends Error {
  constructor(message, seenError) { super(message); this.seenError = seenError; }
}
const emit = (o) => process.stdout.write(JSON.stringify(o, (k, v) => (typeof v === "bigint" ? v.toString() : v)) + "\n");
const errStr = (e) => (e ? `${e.name || "Error"}: ${e.status ?? ""} ${e.message}` : "");
function check(cond, message) { if (!cond) throw new CaseFailure(message); }
function eq(actual, expected, what) {
  const s = (v) => JSON.stringify(v, (k, x) => (typeof x === "bigint" ? x.toString() : x));
  if (s(actual) !== s(expected)) throw new CaseFailure(`${what}: expected ${s(expected)}, got ${s(actual)}`);
}
async function expectError(promise, status, what, part) {
  try {
    await promise;
  } catch (e) {
    if (e.status !== status || (part && !String(e.message).includes(part))) {
      throw new CaseFailure(`${what}: expected ${status} ${part || ""}`, e);
    }
    return e;
  }
  throw new CaseFailure(`${what}: expected ${status}, but it succeeded`);
}
async function runCase(name, fn) {
  const line = { case: name, ok: false, detail: "" };
  let timer;
  try {
    const out = await Promise.race([Promise.resolve().then(fn), new Promise((_, reject) => {
      timer = setTimeout(() => reject(new CaseFailure(`timed out after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
    })]);
    line.ok = true;
    line.detail = out || "ok";
  } catch (e) {
    line.detail = e instanceof CaseFailure ? e.message : "unexpected exception";
    const seen = e instanceof CaseFailure ? e.seenError : e;
    if (seen) line.error = errStr(seen);
  } finally {
    clearTimeout(timer);
  }
  if (line.ok) passed++; else failed++;
  emit(line);
}

const admin = new Client(ENDPOINT, { apiToken: ADMIN_TOKEN });
const reader = new Client(ENDPOINT, { apiToken: READER_TOKEN });
const T0 = 1_700_000_000_000_000n;

async function main() {
  await runCase("serverInfoAndAlive", async () => {
    const info = await admin.getInfo();
    check(info.version.startsWith("1.20"), `version ${info.version}`);
    check(typeof info.bucketCount === "bigint" && typeof info.usage === "bigint", "numeric fields");
    eq(info.defaults.bucket.quotaType, QuotaType.NONE, "default quota type");
    const alive = await fetch(`${ENDPOINT}/api/v1/alive`, { method: "HEAD",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    eq([alive.status, alive.headers.get("x-reduct-api")], [200, "1.20"], "HEAD /alive");
  });

  const bucketName = `${PREFIX}-bucket`;
  await runCase("bucketCreateGetSettingsAndConflict", async () => {
    const bucket = await admin.createBucket(bucketName, { quotaType: QuotaType.FIFO, quotaSize: 10_000_000n });
    const settings = await bucket.getSettings();
    eq([settings.quotaType, settings.quotaSize], [QuotaType.FIFO, 10_000_000n], "settings");
    await expectError(admin.createBucket(bucketName), 409, "a second create", "already exists");
    const again = await admin.getOrCreateBucket(bucketName);
    eq(again.getName(), bucketName, "getOrCreateBucket");
    await bucket.setSettings({ quotaSize: 20_000_000n });
    eq((await bucket.getSettings()).quotaSize, 20_000_000n, "setSettings changes only what it names");
    eq((await bucket.getSettings()).quotaType, QuotaType.FIFO, "quota type kept");
    const listed = (await admin.getBucketList()).map((b) => b.name);
    check(listed.includes(bucketName), `listed: ${listed}`);
    await expectError(admin.getBucket(`${PREFIX}-nothing`), 404, "an unknown bucket");
    await expectError(admin.createBucket("bad name!"), 422, "a bad bucket name");
  });

  await runCase("writeWithLabelsReadLatestByTimeAndHead", async () => {
    const bucket = await admin.getBucket(bucketName);
    for (let i = 0n; i < 3n; i++) {
      const record = await bucket.beginWrite("sensor-1", { ts: T0 + i * 1000n, labels: { kind: "a", n: i },
        contentType: "text/plain" });
      await record.write(`reading ${i}`);
    }
    const latest = await bucket.beginRead("sensor-1");
    eq([latest.time, await latest.readAsString(), latest.contentType, latest.labels],
      [T0 + 2000n, "reading 2", "text/plain", { kind: "a", n: "2" }], "latest");
    const first = await bucket.beginRead("sensor-1", T0);
    eq([first.time, await first.readAsString(), first.labels.n], [T0, "reading 0", "0"], "by time");
    const head = await bucket.beginRead("sensor-1", T0 + 1000n, true);
    eq([head.time, head.size, head.labels.n], [T0 + 1000n, 9n, "1"], "head");
    await expectError(bucket.beginRead("sensor-1", T0 + 1n), 404, "a time without a record");
    const info = await bucket.getInfo();
    eq([info.entryCount, info.oldestRecord, info.latestRecord], [1n, T0, T0 + 2000n], "bucket info");
    const entries = await bucket.getEntryList();
    eq(entries.map((e) => [e.name, e.recordCount, e.oldestRecord, e.latestRecord]),
      [["sensor-1", 3n, T0, T0 + 2000n]], "entries");
  });

  await runCase("duplicateAndEarlierTimestamps", async () => {
    const bucket = await admin.getBucket(bucketName);
    const dup = await bucket.beginWrite("sensor-1", { ts: T0 + 1000n });
    await expectError(dup.write("again"), 409, "a duplicate timestamp", "already exists");
    const early = await bucket.beginWrite("sensor-1", { ts: T0 + 500n });
    await expectError(early.write("late"), 422, "an earlier timestamp", "must increase");
  });

  await runCase("batchWriteWithPerRecordErrors", async () => {
    const bucket = await admin.getBucket(bucketName);
    const batch = await bucket.beginWriteBatch("sensor-2");
    batch.add(T0 + 10n, "one", "text/plain", { kind: "x,y" });
    batch.add(T0 + 20n, "two", "text/plain", { kind: "b" });
    batch.add(T0 + 30n, "three");
    const errors = await batch.write();
    eq(errors.size, 0, "no errors");
    const r = await bucket.beginRead("sensor-2", T0 + 10n);
    eq([await r.readAsString(), r.labels.kind], ["one", "x,y"], "a quoted label value");
    const second = await bucket.beginWriteBatch("sensor-2");
    second.add(T0 + 20n, "dup");
    second.add(T0 + 40n, "four");
    const errs = await second.write();
    eq([...errs.keys()], [T0 + 20n], "the duplicate's error");
    eq(errs.get(T0 + 20n).status, 409, "its status");
    eq(await (await bucket.beginRead("sensor-2")).readAsString(), "four", "the other record written");
  });

  await runCase("aReaderTokenReadsButDoesNotWrite", async () => {
    const bucket = await reader.getBucket(bucketName);
    eq(await (await bucket.beginRead("sensor-1")).readAsString(), "reading 2", "the reader reads");
    const w = await bucket.beginWrite("sensor-1", { ts: T0 + 9_000_000n });
    await expectError(w.write("x"), 403, "the reader writes");
    await expectError(reader.createBucket(`${PREFIX}-other`), 403, "the reader creates a bucket");
    const bad = new Client(ENDPOINT, { apiToken: "not-a-token" });
    await expectError(bad.getInfo(), 401, "an unknown token");
  });

  await runCase("removeEntryAndBucket", async () => {
    const bucket = await admin.getBucket(bucketName);
    await bucket.removeEntry("sensor-2");
    eq((await bucket.getEntryList()).map((e) => e.name), ["sensor-1"], "entry removed");
    await bucket.remove();
    await expectError(admin.getBucket(bucketName), 404, "bucket removed");
  });
}

main().then(() => emit({ case: "summary", ok: true, passed, failed }))
  .catch((e) => { emit({ case: "fatal", ok: false, detail: "driver crashed", error: errStr(e) });
    emit({ case: "summary", ok: true, passed, failed: failed + 1 }); });
