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
import { check, eq, expectError, finish, parseArgs, runCase } from "./harness.js";

const { ENDPOINT, ADMIN_TOKEN, READER_TOKEN, PREFIX } = parseArgs("reduct.js");

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

  await runCase("aStreamedBodyIsSentChunkedWithItsLength", async () => {
    const bucket = await admin.getBucket(bucketName);
    const parts = ["chunk-1;", "chunk-2;", "chunk-3"];
    const body = new ReadableStream({ start(controller) {
      for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    } });
    const record = await bucket.beginWrite("streamed", { ts: T0, contentType: "text/plain" });
    await record.write(body, BigInt(parts.join("").length));
    eq(await (await bucket.beginRead("streamed", T0)).readAsString(), parts.join(""), "the streamed body");
    await bucket.removeEntry("streamed");
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

  const queryBucket = `${PREFIX}-query`;
  const collect = async (iterable, read = true) => {
    const out = [];
    for await (const r of iterable) {
      out.push({ entry: r.entry ?? "", time: r.time, labels: r.labels, body: read ? await r.readAsString() : "",
        size: r.size });
    }
    return out;
  };
  await runCase("aFreshClientsFirstQueryTakesTheV1Path", async () => {
    const bucket = await admin.getOrCreateBucket(queryBucket);
    const batch = await bucket.beginWriteBatch("sensor-q");
    for (let i = 0n; i < 10n; i++) {
      const labels = { kind: i % 2n === 0n ? "a" : "b", n: i.toString() };
      if (i === 3n) labels.only3 = "yes";
      batch.add(T0 + i, `q${i}`, "text/plain", labels);
    }
    eq((await batch.write()).size, 0, "batch written");
    const fresh = new Client(ENDPOINT, { apiToken: ADMIN_TOKEN });
    const freshBucket = new (bucket.constructor)(queryBucket, fresh.httpClient);
    check(fresh.httpClient.apiVersion === undefined, "a fresh client knows no API version");
    const got = await collect(freshBucket.query("sensor-q", T0, T0 + 10n, { when: { "&kind": { $eq: "a" } } }));
    eq(got.map((r) => [r.time, r.body, r.labels.n]), [0n, 2n, 4n, 6n, 8n].map((i) => [T0 + i, `q${i}`, i.toString()]),
      "v1 query with a condition");
  });

  await runCase("v2QueriesMergeEntriesAndLabelsDoNotLeak", async () => {
    const bucket = await admin.getBucket(queryBucket);
    const other = await bucket.beginWriteBatch("sensor-r");
    other.add(T0 + 5n, "r5", "application/json", { kind: "r" });
    await other.write();
    check(admin.httpClient.apiVersion && admin.httpClient.apiVersion[1] >= 18, "the client knows the API is 1.18+");
    const all = await collect(bucket.query(["sensor-q", "sensor-r"], T0, T0 + 10n));
    eq(all.map((r) => r.body), ["q0", "q1", "q2", "q3", "q4", "q5", "r5", "q6", "q7", "q8", "q9"],
      "both entries in time order (equal times in the order the entries were asked for)");
    const byBody = Object.fromEntries(all.map((r) => [r.body, r.labels]));
    eq(byBody.q3, { kind: "b", n: "3", only3: "yes" }, "q3 has its label");
    eq(byBody.q4, { kind: "a", n: "4" }, "q4 does not inherit only3");
    eq(byBody.r5, { kind: "r" }, "the other entry's labels");
    eq(all.find((r) => r.body === "r5").entry, "sensor-r", "the record's entry");
  });

  await runCase("conditionLanguageLimitEachNAndErrors", async () => {
    const bucket = await admin.getBucket(queryBucket);
    eq((await collect(bucket.query("sensor-q", T0, T0 + 10n, { when: { $limit: 3 } }))).map((r) => r.body),
      ["q0", "q1", "q2"], "$limit");
    eq((await collect(bucket.query("sensor-q", T0, T0 + 10n, { when: { "&kind": { $eq: "b" }, $each_n: 2 } })))
      .map((r) => r.body), ["q3", "q7"], "$each_n after a filter: the n-th, 2n-th... record reaching it");
    eq((await collect(bucket.query("sensor-q", T0, T0 + 10n, { when: { "&n": { $gte: 7 } } }))).map((r) => r.body),
      ["q7", "q8", "q9"], "numeric comparison of a label");
    eq((await collect(bucket.query("sensor-q", T0 + 2n, T0 + 4n))).map((r) => r.body), ["q2", "q3"],
      "start inclusive, stop exclusive");
    await expectError(collect(bucket.query("sensor-q", T0, T0 + 10n, { when: { "&kind": { $bogus: 1 } } })), 422,
      "an unknown operator", "$bogus");
    await expectError(collect(bucket.query("sensor-q", T0, T0 + 10n, { when: { "&missing": { $eq: 1 } },
      strict: true })), 404, "strict mode and a missing label (404, as ReductStore)", "missing");
  });

  await runCase("largeQueriesComeInSeveralBatchesAndHeadOnlyMetadata", async () => {
    const bucket = await admin.getBucket(queryBucket);
    const batch = await bucket.beginWriteBatch("sensor-big");
    for (let i = 0n; i < 150n; i++) batch.add(T0 + i, `b${i}`, "text/plain", { i: i.toString() });
    await batch.write();
    const all = await collect(bucket.query("sensor-big", T0, T0 + 1000n));
    eq([all.length, all[0].body, all[149].body, all[149].labels.i], [150, "b0", "b149", "149"], "150 records");
    const heads = await collect(bucket.query("sensor-big", T0, T0 + 5n, { head: true }), false);
    eq(heads.map((r) => [r.time, r.size]), [0n, 1n, 2n, 3n, 4n].map((i) => [T0 + i, 2n]), "only metadata");
  });

  await runCase("aContinuousQueryPicksUpNewRecords", async () => {
    const bucket = await admin.getBucket(queryBucket);
    const seen = [];
    const iterator = bucket.query("sensor-c", T0, undefined, { continuous: true, pollInterval: 0.1, ttl: 30 })
      [Symbol.asyncIterator]();
    const first = await bucket.beginWrite("sensor-c", { ts: T0 });
    await first.write("c0");
    seen.push(await (await iterator.next()).value.readAsString());
    const second = await bucket.beginWrite("sensor-c", { ts: T0 + 1n });
    await second.write("c1");
    seen.push(await (await iterator.next()).value.readAsString());
    await iterator.return();
    eq(seen, ["c0", "c1"], "both records, the second written after the query began");
  });

  await runCase("updateLabelsAndRemoveRecordsOneByOneInBatchesAndByQuery", async () => {
    const bucket = await admin.createBucket(`${PREFIX}-edits`);
    const batch = await bucket.beginWriteBatch("e");
    for (let i = 0n; i < 10n; i++) batch.add(T0 + i, `r${i}`, "text/plain", { kind: i < 5n ? "old" : "new", n: i });
    await batch.write();

    await bucket.update("e", T0 + 1n, { kind: "changed", extra: "1", n: "" });
    const one = await bucket.beginRead("e", T0 + 1n);
    eq(Object.entries(one.labels).sort(), [["extra", "1"], ["kind", "changed"]],
      "PATCH: changed, added, and an empty value removes");
    await bucket.removeRecord("e", T0 + 2n);
    await expectError(bucket.beginRead("e", T0 + 2n), 404, "a removed record");
    await expectError(bucket.removeRecord("e", T0 + 2n), 404, "removing it again");
    await expectError(bucket.update("e", T0 + 777n, { a: "b" }), 404, "updating a record that is not there");

    const updates = await bucket.beginUpdateBatch("e");
    updates.addOnlyLabels(T0 + 3n, { kind: "batched" });
    updates.addOnlyLabels(T0 + 999n, { kind: "nowhere" });
    const updateErrors = await updates.write();
    eq([...updateErrors.keys()], [T0 + 999n], "the update batch's error is the missing record's");
    eq((await bucket.beginRead("e", T0 + 3n)).labels.kind, "batched", "batch update");
    const removals = await bucket.beginRemoveBatch("e");
    removals.addOnlyTimestamp(T0 + 4n);
    eq((await removals.write()).size, 0, "batch remove");

    const removed = await bucket.removeQuery("e", T0, T0 + 10n, { when: { "&kind": { $eq: "new" } } });
    eq(removed, 5, "a remove query removes what it selects");
    const left = await collect(bucket.query("e", T0, T0 + 10n));
    eq(left.map((r) => [r.body, r.labels.kind]), [["r0", "old"], ["r1", "changed"], ["r3", "batched"]],
      "queries skip removed records and see updated labels");
    eq((await bucket.beginRead("e")).time, T0 + 3n, "the latest record is the newest not removed");
  });

  await runCase("multiEntryBatchesWriteUpdateAndRemove", async () => {
    const bucket = await admin.createBucket(`${PREFIX}-multi`);
    const write = bucket.beginWriteRecordBatch();
    write.add("m1", T0, "a0", "text/plain", { kind: "x", only0: "yes" });
    write.add("m1", T0 + 1n, "a1", "text/plain", { kind: "x" });
    write.add("m2", T0, "b0", "text/csv", { kind: "y,z" });
    write.add("m2", T0 + 2n, "b2", "text/csv", {});
    const errors = await write.send();
    eq(errors.size, 0, "no errors");
    const all = await collect(bucket.query(["m1", "m2"], T0, T0 + 10n));
    eq(all.map((r) => [r.entry, r.body]), [["m1", "a0"], ["m2", "b0"], ["m1", "a1"], ["m2", "b2"]], "both entries");
    const labels = Object.fromEntries(all.map((r) => [r.body, r.labels]));
    eq([labels.a0.only0, labels.a1.only0, labels.b0.kind, Object.keys(labels.b2).length],
      ["yes", undefined, "y,z", 0], "labels decoded from deltas (and dropped where the next record lacks them)");

    const again = bucket.beginWriteRecordBatch();
    again.add("m1", T0 + 1n, "dup", "text/plain", {});
    again.add("m1", T0 + 5n, "a5", "text/plain", {});
    const dupErrors = await again.send();
    eq([...(dupErrors.get("m1") ?? new Map()).keys()], [T0 + 1n], "the duplicate's error, per entry and time");

    const update = bucket.beginUpdateRecordBatch();
    update.addOnlyLabels("m2", T0 + 2n, { fixed: "1" });
    await update.send();
    eq((await bucket.beginRead("m2", T0 + 2n)).labels.fixed, "1", "v2 update");
    const remove = bucket.beginRemoveRecordBatch();
    remove.addOnlyTimestamp("m1", T0);
    await remove.send();
    await expectError(bucket.beginRead("m1", T0), 404, "v2 remove");
  });

  await runCase("fifoQuotaEvictsTheBucketsOldestAndHardRefusesAtTheQuota", async () => {
    const fifo = await admin.createBucket(`${PREFIX}-fifo`, { quotaType: QuotaType.FIFO, quotaSize: 20_000n,
      maxBlockSize: 4096n });
    const body = "x".repeat(1000);
    for (let i = 0n; i < 40n; i++) {
      const entry = i % 2n === 0n ? "even" : "odd";
      const w = await fifo.beginWrite(entry, { ts: T0 + i });
      await w.write(body);
    }
    const info = await fifo.getInfo();
    check(info.size <= 20_000n, `the bucket holds ${info.size} bytes, within its 20000-byte quota`);
    check(info.oldestRecord > T0, `the oldest records went (oldest now ${info.oldestRecord})`);
    eq(info.latestRecord, T0 + 39n, "the newest record is there");
    const entries = await fifo.getEntryList();
    eq(entries.map((e) => e.name).sort(), ["even", "odd"], "both entries still there");

    const hard = await admin.createBucket(`${PREFIX}-hard`, { quotaType: QuotaType.HARD, quotaSize: 5_000n });
    for (let i = 0n; i < 4n; i++) {
      await (await hard.beginWrite("e", { ts: T0 + i })).write(body);
    }
    await expectError((await hard.beginWrite("e", { ts: T0 + 4n })).write(body), 400, "a write past a HARD quota",
      "Quota of");
    eq((await hard.getInfo()).latestRecord, T0 + 3n, "nothing of the refused write");
  });

  await runCase("removeEntryAndBucket", async () => {
    const bucket = await admin.getBucket(bucketName);
    await bucket.update("sensor-2", T0 + 30n, { edited: "yes" });
    await bucket.renameEntry("sensor-2", "renamed");
    const moved = await bucket.beginRead("renamed", T0 + 30n);
    eq([await moved.readAsString(), moved.labels.edited], ["three", "yes"], "the renamed entry keeps records and edits");
    await expectError(bucket.beginRead("sensor-2", T0 + 30n), 404, "the old name is gone");
    await expectError(bucket.renameEntry("renamed", "sensor-1"), 409, "renaming onto a taken name");
    await bucket.renameEntry("renamed", "sensor-2");
    const other = await admin.createBucket(`${PREFIX}-taken`);
    await expectError(bucket.rename(`${PREFIX}-taken`), 409, "renaming a bucket onto a taken name");
    await other.remove();
    await bucket.rename(`${PREFIX}-renamed`);
    eq(bucket.getName(), `${PREFIX}-renamed`, "the client follows the rename");
    eq(await (await bucket.beginRead("sensor-1")).readAsString(), "reading 2", "the renamed bucket's records");
    eq((await bucket.getSettings()).quotaType, QuotaType.FIFO, "and settings");
    await expectError(admin.getBucket(bucketName), 404, "the old bucket name is gone");
    await bucket.removeEntry("sensor-2");
    eq((await bucket.getEntryList()).map((e) => e.name), ["sensor-1"], "entry removed");
    await bucket.remove();
    await expectError(admin.getBucket(bucketName), 404, "bucket removed");
  });
}

finish(main);
