#!/usr/bin/env node
/*
 * oci.js - conformance driver for edgestream using the OFFICIAL OCI TypeScript SDK (oci-streaming and oci-common,
 * pinned in package.json), unchanged, with real RSA keys and the SDK's own signing provider. JUnit runs it:
 * OfficialOciClientTest.
 *
 * Usage:
 *   node oci.js <endpoint-url> <keys.json> <phase> [--prefix=NAME]
 *
 *   <keys.json>  {"admin": {"keyId": "tenancy/user/fingerprint", "pem": "<file>"}, "reader": {...},
 *                 "stranger": {...}}: admin may do everything; reader may only read streams named sensor-*;
 *                 stranger's key is not registered.
 *   <phase>      "main": every case; it leaves a partition and a group cursor in expire.json.
 *                "expired": run after the daemon's clock for cursors moved past 5 minutes: those cursors must be
 *                refused as expired.
 *
 * Output: one JSON object per line on stdout, one per case:
 *   {"case":"<name>","ok":true|false,"detail":"...","error":"<e.name>: <message>"}
 * The last line is {"case":"summary","ok":true,"passed":N,"failed":M}. Exit 0 once all cases have run; 2 on bad usage.
 */
import fs from "node:fs";
import * as common from "oci-common";
import * as streaming from "oci-streaming";

const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
if (positional.length !== 3 || !["main", "expired"].includes(positional[2])) {
  process.stderr.write("usage: node oci.js <endpoint-url> <keys.json> main|expired [--prefix=NAME]\n");
  process.exit(2);
}
const [ENDPOINT, KEYS_FILE, PHASE] = positional;
const prefixFlag = flags.find((f) => f.startsWith("--prefix="));
const PREFIX = prefixFlag ? prefixFlag.slice("--prefix=".length) : `js${Date.now().toString(36)}`;
const COMPARTMENT = "ocid1.compartment.oc1..edgestreamtest";
const CASE_TIMEOUT_MS = Number(process.env.OCIJS_CASE_TIMEOUT_MS || 30000);
const keys = JSON.parse(fs.readFileSync(KEYS_FILE, "utf8"));

function provider(entry) {
  const [tenancy, user, fingerprint] = entry.keyId.split("/");
  return new common.SimpleAuthenticationDetailsProvider(tenancy, user, fingerprint,
      fs.readFileSync(entry.pem, "utf8"), null, common.Region.US_ASHBURN_1);
}
const noRetry = { retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } };
function clients(entry) {
  const p = entry ? { authenticationDetailsProvider: provider(entry) } : {};
  const admin = new streaming.StreamAdminClient(p, noRetry);
  admin.endpoint = ENDPOINT;
  const client = new streaming.StreamClient(p, noRetry);
  client.endpoint = ENDPOINT;
  return { admin, client };
}
const ADMIN = clients(keys.admin);
const READER = clients(keys.reader);
const STRANGER = clients(keys.stranger);
const WRONG_KEY = clients({ keyId: keys.admin.keyId, pem: keys.stranger.pem });
const UNSIGNED = clients(null);

// ---------------------------------------------------------------- harness

let passed = 0;
let failed = 0;
class CaseFailure extends Error {
  constructor(message, seenError) { super(message); this.seenError = seenError; }
}
function emit(obj) { process.stdout.write(JSON.stringify(obj) + "\n"); }
function errStr(e) { return e ? `${e.name || "Error"}: ${e.serviceCode ? e.statusCode + " " + e.serviceCode + " " : ""}${e.message}` : ""; }
function check(cond, message) { if (!cond) throw new CaseFailure(message); }
function eq(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new CaseFailure(`${what}: expected ${e}, got ${a}`);
}
async function expectError(promise, status, code, what, messagePart) {
  try {
    await promise;
  } catch (e) {
    if (e.statusCode !== status || (code && e.serviceCode !== code)
        || (messagePart && !String(e.message).includes(messagePart))) {
      throw new CaseFailure(`${what}: expected ${status} ${code || ""} ${messagePart || ""}`, e);
    }
    return e;
  }
  throw new CaseFailure(`${what}: expected ${status} ${code || ""}, but it succeeded`);
}
function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CaseFailure(`case ${name} timed out after ${ms} ms`)), ms);
  })]).finally(() => clearTimeout(timer));
}
async function runCase(name, fn, timeoutMs = CASE_TIMEOUT_MS) {
  const line = { case: name, ok: false, detail: "" };
  try {
    const out = await withTimeout(Promise.resolve().then(fn), timeoutMs, name);
    line.ok = true;
    line.detail = out || "ok";
  } catch (e) {
    line.detail = e instanceof CaseFailure ? e.message : "unexpected exception";
    if (e instanceof CaseFailure) { if (e.seenError) line.error = errStr(e.seenError); } else line.error = errStr(e);
  }
  if (line.ok) passed++; else failed++;
  emit(line);
}
const b64 = (text) => Buffer.from(text, "utf8").toString("base64");
const unb64 = (text) => (text == null ? null : Buffer.from(text, "base64").toString("utf8"));
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
/** The SDK leaves times as the RFC 3339 text the service sent (OCI writes milliseconds). */
const isTime = (t) => typeof t === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(t)
  && !Number.isNaN(Date.parse(t));

async function createStream(name, partitions, extra = {}) {
  const r = await ADMIN.admin.createStream({ createStreamDetails: { name, partitions, compartmentId: COMPARTMENT,
    ...extra } });
  return r.stream;
}
async function put(client, streamId, messages) {
  return (await client.putMessages({ streamId, putMessagesDetails: { messages } })).putMessagesResult;
}
async function cursor(streamId, details, client = ADMIN.client) {
  return (await client.createCursor({ streamId, createCursorDetails: details })).cursor.value;
}
/** Every message from a cursor to the end, following opc-next-cursor, limit per call. */
async function drain(streamId, start, limit = 1000, client = ADMIN.client) {
  const all = [];
  let c = start;
  for (let i = 0; i < 1000; i++) {
    const r = await client.getMessages({ streamId, cursor: c, limit });
    all.push(...r.items);
    c = r.opcNextCursor;
    check(typeof c === "string" && /^[A-Za-z0-9_-]+$/.test(c), `opc-next-cursor is URL-safe: ${c}`);
    if (r.items.length === 0) return { messages: all, next: c };
  }
  throw new CaseFailure("drain did not reach the end");
}

// ---------------------------------------------------------------- cases

async function main() {
  if (PHASE === "expired") {
    const saved = JSON.parse(fs.readFileSync("expire.json", "utf8"));
    await runCase("expiredPartitionCursor", async () => {
      await expectError(ADMIN.client.getMessages({ streamId: saved.streamId, cursor: saved.partition }), 400,
        "InvalidParameter", "getMessages with a cursor issued more than 5 minutes ago", "expired");
    });
    await runCase("expiredGroupCursor", async () => {
      await expectError(ADMIN.client.consumerCommit({ streamId: saved.streamId, cursor: saved.group }), 400,
        "InvalidParameter", "consumerCommit with a group cursor issued more than 5 minutes ago", "expired");
      const fresh = await cursor(saved.streamId, { partition: "0", type: "TRIM_HORIZON" });
      const r = await ADMIN.client.getMessages({ streamId: saved.streamId, cursor: fresh });
      check(r.items.length > 0, "a fresh cursor reads again");
    });
    return;
  }

  let poolId;
  await runCase("streamPoolLifecycle", async () => {
    const created = (await ADMIN.admin.createStreamPool({ createStreamPoolDetails: { compartmentId: COMPARTMENT,
      name: `${PREFIX}-pool`, freeformTags: { team: "edge" } } })).streamPool;
    poolId = created.id;
    check(/^ocid1\.streampool\.oc1\.[a-z0-9-]+\.[a-z2-7]{26}$/.test(poolId), `pool OCID ${poolId}`);
    eq(created.lifecycleState, "ACTIVE", "lifecycleState");
    await ADMIN.admin.createWaiters().forStreamPool({ streamPoolId: poolId }, "ACTIVE");
    const got = (await ADMIN.admin.getStreamPool({ streamPoolId: poolId })).streamPool;
    eq([got.name, got.compartmentId, got.freeformTags], [`${PREFIX}-pool`, COMPARTMENT, { team: "edge" }], "getStreamPool");
    const listed = (await ADMIN.admin.listStreamPools({ compartmentId: COMPARTMENT, name: `${PREFIX}-pool` })).items;
    eq(listed.map((p) => p.id), [poolId], "listStreamPools by name");
    const updated = (await ADMIN.admin.updateStreamPool({ streamPoolId: poolId,
      updateStreamPoolDetails: { freeformTags: { team: "plant" } } })).streamPool;
    eq(updated.freeformTags, { team: "plant" }, "updateStreamPool tags");
  });

  await runCase("streamAdminCreateGetListUpdateDelete", async () => {
    const s = await createStream(`${PREFIX}-admin`, 2, { retentionInHours: 48, freeformTags: { a: "b" },
      definedTags: { ops: { cost: "42" } } });
    check(/^ocid1\.stream\.oc1\.[a-z0-9-]+\.[a-z2-7]+$/.test(s.id), `stream OCID ${s.id}`);
    eq([s.name, s.partitions, s.retentionInHours, s.lifecycleState, s.compartmentId, s.messagesEndpoint],
      [`${PREFIX}-admin`, 2, 48, "ACTIVE", COMPARTMENT, ENDPOINT], "created stream");
    eq([s.freeformTags, s.definedTags], [{ a: "b" }, { ops: { cost: "42" } }], "tags");
    check(isTime(s.timeCreated) && Math.abs(Date.now() - Date.parse(s.timeCreated)) < 60000, `timeCreated ${s.timeCreated}`);
    const waited = await ADMIN.admin.createWaiters().forStream({ streamId: s.id }, "ACTIVE");
    eq(waited.stream.id, s.id, "waiter for ACTIVE");
    const listed = (await ADMIN.admin.listStreams({ compartmentId: COMPARTMENT, name: s.name })).items;
    eq(listed.map((x) => [x.id, x.partitions]), [[s.id, 2]], "listStreams by name");
    eq((await ADMIN.admin.listStreams({ compartmentId: COMPARTMENT, name: s.name, lifecycleState: "DELETED" })).items,
      [], "listStreams lifecycleState DELETED");
    const updated = (await ADMIN.admin.updateStream({ streamId: s.id, updateStreamDetails: {
      freeformTags: { a: "c", d: "e" } } })).stream;
    eq([updated.freeformTags, updated.definedTags], [{ a: "c", d: "e" }, { ops: { cost: "42" } }], "updateStream");
    await ADMIN.admin.deleteStream({ streamId: s.id });
    await ADMIN.admin.createWaiters().forStream({ streamId: s.id }, "DELETED");
    eq((await ADMIN.admin.getStream({ streamId: s.id })).stream.lifecycleState, "DELETED", "getStream after delete");
    await expectError(ADMIN.client.createCursor({ streamId: s.id, createCursorDetails: { partition: "0",
      type: "LATEST" } }), 404, "NotAuthorizedOrNotFound", "a cursor on a deleted stream");
  });

  await runCase("streamsInAPoolListedPageByPage", async () => {
    const ids = [];
    for (const n of ["c", "a", "b"]) {
      ids.push((await createStream(`${PREFIX}-paged-${n}`, 1, { streamPoolId: poolId })).id);
    }
    const seen = [];
    let page;
    for (let i = 0; i < 10; i++) {
      const r = await ADMIN.admin.listStreams({ streamPoolId: poolId, limit: 1, page, sortBy: "NAME" });
      seen.push(...r.items.map((x) => x.name));
      r.items.forEach((x) => check(x.streamPoolId === poolId, "streamPoolId of a listed stream"));
      page = r.opcNextPage;
      if (!page) break;
    }
    eq(seen, ["a", "b", "c"].map((n) => `${PREFIX}-paged-${n}`), "names over three pages");
    const desc = (await ADMIN.admin.listStreams({ streamPoolId: poolId, sortBy: "NAME", sortOrder: "DESC" })).items;
    eq(desc.map((x) => x.name.slice(-1)), ["c", "b", "a"], "sortOrder DESC");
  });

  const orders = await createStream(`${PREFIX}-orders`, 3).catch(() => null);
  const keyOf = (i) => `device-${i % 10}`;
  await runCase("putMessagesRoutesKeysToPartitionsAndGetMessagesReadsThemBack", async () => {
    check(orders, "stream created");
    const sent = [];
    for (let i = 0; i < 40; i++) sent.push({ key: i < 35 ? b64(keyOf(i)) : null, value: b64(`reading ${i}`) });
    const r = await put(ADMIN.client, orders.id, sent);
    eq(r.failures, 0, "failures");
    eq(r.entries.length, 40, "entries");
    const partitionOfKey = {};
    r.entries.forEach((e, i) => {
      check(["0", "1", "2"].includes(e.partition) && Number.isInteger(e.offset) && isTime(e.timestamp),
        `entry ${i}: ${JSON.stringify(e)}`);
      if (i < 35) {
        const k = keyOf(i);
        if (partitionOfKey[k] !== undefined) check(partitionOfKey[k] === e.partition, `key ${k} in one partition`);
        partitionOfKey[k] = e.partition;
      }
    });
    check(new Set(Object.values(partitionOfKey)).size > 1, "keys spread over partitions");
    const got = [];
    for (const p of ["0", "1", "2"]) {
      const { messages } = await drain(orders.id, await cursor(orders.id, { partition: p, type: "TRIM_HORIZON" }), 3);
      messages.forEach((m, i) => {
        eq([m.stream, m.partition], [orders.name, p], "message stream and partition");
        if (i > 0) check(m.offset === messages[i - 1].offset + 1, "offsets consecutive");
        check(isTime(m.timestamp) && Math.abs(Date.now() - Date.parse(m.timestamp)) < 60000, `timestamp ${m.timestamp}`);
      });
      got.push(...messages);
    }
    eq(got.map((m) => unb64(m.value)).sort(), sent.map((m) => unb64(m.value)).sort(), "every value read back");
    const keyed = got.find((m) => unb64(m.value) === "reading 3");
    eq(unb64(keyed.key), keyOf(3), "key read back");
    eq(got.find((m) => unb64(m.value) === "reading 36").key, null, "no key is null");
  });

  await runCase("cursorsOfEveryType", async () => {
    const s = await createStream(`${PREFIX}-types`, 1);
    const t0 = new Date(Date.now() - 1000);
    await put(ADMIN.client, s.id, [0, 1, 2, 3, 4].map((i) => ({ key: null, value: b64(`m${i}`) })));
    const read = async (details) => (await drain(s.id, await cursor(s.id, { partition: "0", ...details }))).messages
      .map((m) => unb64(m.value));
    eq(await read({ type: "TRIM_HORIZON" }), ["m0", "m1", "m2", "m3", "m4"], "TRIM_HORIZON");
    eq(await read({ type: "AT_OFFSET", offset: 2 }), ["m2", "m3", "m4"], "AT_OFFSET 2");
    eq(await read({ type: "AFTER_OFFSET", offset: 2 }), ["m3", "m4"], "AFTER_OFFSET 2");
    eq(await read({ type: "AT_TIME", time: t0 }), ["m0", "m1", "m2", "m3", "m4"], "AT_TIME before the first");
    eq(await read({ type: "AT_TIME", time: new Date(Date.now() + 3600000) }), [], "AT_TIME in the future");
    const latest = await cursor(s.id, { partition: "0", type: "LATEST" });
    eq((await ADMIN.client.getMessages({ streamId: s.id, cursor: latest })).items, [], "LATEST reads nothing yet");
    await put(ADMIN.client, s.id, [{ key: null, value: b64("m5") }]);
    eq((await drain(s.id, latest)).messages.map((m) => unb64(m.value)), ["m5"], "LATEST then new message");
    await expectError(cursor(s.id, { partition: "1", type: "TRIM_HORIZON" }), 400, "InvalidParameter",
      "a partition the stream does not have", "partition");
    await expectError(cursor(s.id, { partition: "0", type: "AT_OFFSET", offset: 99 }), 400, "InvalidParameter",
      "an offset beyond the end", "beyond");
  });

  await runCase("putMessagesLimitsAndPerMessageFailures", async () => {
    const s = await createStream(`${PREFIX}-limits`, 1);
    const big = Buffer.alloc((1 << 20) + 1, 7).toString("base64");
    await expectError(put(ADMIN.client, s.id, [{ key: null, value: big }]), 400, "InvalidParameter",
      "a message over 1 MiB", "1048576");
    const r = await put(ADMIN.client, s.id, [{ key: b64("x".repeat(2000)), value: b64("too long a key") },
      { key: b64("ok"), value: b64("fine") }]);
    eq(r.failures, 1, "one failure");
    eq(r.entries[0].error, "InvalidParameter", "failed entry's error");
    check(/key is 2000 bytes/.test(r.entries[0].errorMessage), `errorMessage names the size: ${r.entries[0].errorMessage}`);
    eq([r.entries[1].partition, r.entries[1].offset], ["0", 0], "the other message is stored");
  });

  await runCase("forgedAndForeignCursorsAreRefused", async () => {
    const s = await createStream(`${PREFIX}-forged`, 1);
    const other = await createStream(`${PREFIX}-forged-other`, 1);
    await put(ADMIN.client, s.id, [{ key: null, value: b64("secret") }]);
    const c = await cursor(s.id, { partition: "0", type: "TRIM_HORIZON" });
    const flipped = c.slice(0, 20) + (c[20] === "A" ? "B" : "A") + c.slice(21);
    await expectError(ADMIN.client.getMessages({ streamId: s.id, cursor: flipped }), 400, "InvalidParameter",
      "a changed cursor", "not valid");
    await expectError(ADMIN.client.getMessages({ streamId: s.id, cursor: "bm90LWEtY3Vyc29y" }), 400,
      "InvalidParameter", "a made-up cursor", "not valid");
    await expectError(ADMIN.client.getMessages({ streamId: other.id, cursor: c }), 400, "InvalidParameter",
      "another stream's cursor", "reads stream");
  });

  let groupStream;
  await runCase("twoGroupInstancesShareThreePartitionsAndTakeOverWhenOneStops", async () => {
    groupStream = await createStream(`${PREFIX}-group`, 3);
    const sid = groupStream.id;
    await put(ADMIN.client, sid, Array.from({ length: 60 }, (_, i) => ({ key: b64(`k${i}`), value: b64(`v${i}`) })));
    const open = async (instance) => (await ADMIN.client.createGroupCursor({ streamId: sid, createGroupCursorDetails: {
      groupName: "workers", instanceName: instance, type: "TRIM_HORIZON", commitOnGet: false, timeoutInMs: 2500 } }))
      .cursor.value;
    const state = { a: { cursor: await open("a"), seen: [] }, b: { cursor: await open("b"), seen: [] } };
    const step = async (name) => {
      const r = await ADMIN.client.getMessages({ streamId: sid, cursor: state[name].cursor, limit: 7 });
      r.items.forEach((m) => state[name].seen.push(`${m.partition}:${m.offset}:${unb64(m.value)}`));
      const committed = await ADMIN.client.consumerCommit({ streamId: sid, cursor: r.opcNextCursor });
      state[name].cursor = committed.cursor.value;
      return r.items.length;
    };
    for (let round = 0; round < 40; round++) {
      const n = (await step("a")) + (await step("b"));
      if (n === 0) break;
    }
    const partitionsOf = (name) => new Set(state[name].seen.map((x) => x.split(":")[0]));
    const pa = partitionsOf("a");
    const pb = partitionsOf("b");
    check([...pa].every((p) => !pb.has(p)), `each partition read by one instance: a ${[...pa]} b ${[...pb]}`);
    const all = [...state.a.seen, ...state.b.seen];
    eq(all.length, 60, "60 messages read");
    eq(new Set(all).size, 60, "none twice");
    const group = (await ADMIN.client.getGroup({ streamId: sid, groupName: "workers" })).group;
    eq(group.reservations.map((r) => r.partition), ["0", "1", "2"], "a reservation per partition");
    const holders = new Set(group.reservations.map((r) => r.reservedInstance));
    eq([...holders].sort(), ["a", "b"], "both instances hold partitions");
    group.reservations.forEach((r) => check(isTime(r.timeReservedUntil)
      && Date.parse(r.timeReservedUntil) > Date.now(), `timeReservedUntil ${r.timeReservedUntil}`));
    // b stops; a keeps heartbeating until b's reservations lapse, then takes b's partitions over
    await put(ADMIN.client, sid, Array.from({ length: 30 }, (_, i) => ({ key: b64(`n${i}`), value: b64(`w${i}`) })));
    const deadline = Date.now() + 15000;
    for (;;) {
      state.a.cursor = (await ADMIN.client.consumerHeartbeat({ streamId: sid, cursor: state.a.cursor })).cursor.value;
      const g = (await ADMIN.client.getGroup({ streamId: sid, groupName: "workers" })).group;
      if (g.reservations.every((r) => r.reservedInstance === "a")) break;
      check(Date.now() < deadline, "b's reservations lapse within its timeout");
      await pause(200);
    }
    const before = state.a.seen.length;
    for (let round = 0; round < 40; round++) {
      if ((await step("a")) === 0) break;
    }
    const after = state.a.seen.slice(before);
    eq(after.length, 30, "a reads the 30 new messages (b's partitions from b's committed offsets)");
    eq(new Set([...all, ...after]).size, 90, "nothing read twice across the takeover");
    const final = (await ADMIN.client.getGroup({ streamId: sid, groupName: "workers" })).group;
    for (const r of final.reservations) {
      const offsets = [...all, ...after].filter((x) => x.startsWith(`${r.partition}:`)).map((x) => Number(x.split(":")[1]));
      eq(r.committedOffset, Math.max(...offsets), `committedOffset of partition ${r.partition}`);
    }
  });

  await runCase("commitOnGetCommitsThePreviousBatchAndUpdateGroupResets", async () => {
    const s = await createStream(`${PREFIX}-cog`, 1);
    await put(ADMIN.client, s.id, Array.from({ length: 10 }, (_, i) => ({ key: null, value: b64(`c${i}`) })));
    let c = (await ADMIN.client.createGroupCursor({ streamId: s.id, createGroupCursorDetails: {
      groupName: "auto", instanceName: "only", type: "TRIM_HORIZON" } })).cursor.value;
    const get = async (limit) => {
      const r = await ADMIN.client.getMessages({ streamId: s.id, cursor: c, limit });
      c = r.opcNextCursor;
      return r.items.map((m) => unb64(m.value));
    };
    const committed = async () => (await ADMIN.client.getGroup({ streamId: s.id, groupName: "auto" }))
      .group.reservations[0].committedOffset;
    eq(await get(4), ["c0", "c1", "c2", "c3"], "first batch");
    eq(await committed(), undefined, "nothing committed before the next get");
    eq(await get(3), ["c4", "c5", "c6"], "second batch");
    eq(await committed(), 3, "the first batch is committed by the second get");
    await ADMIN.client.updateGroup({ streamId: s.id, groupName: "auto", updateGroupDetails: { type: "TRIM_HORIZON" } });
    eq(await committed(), undefined, "reset to TRIM_HORIZON");
    eq(await get(2), ["c0", "c1"], "after the reset the instance reads from the start again");
    await ADMIN.client.updateGroup({ streamId: s.id, groupName: "auto", updateGroupDetails: { type: "LATEST" } });
    eq(await committed(), 9, "reset to LATEST");
    eq(await get(5), [], "nothing after LATEST");
    await put(ADMIN.client, s.id, [{ key: null, value: b64("c10") }]);
    eq(await get(5), ["c10"], "new message after LATEST");
    const later = new Date(Date.now() + 3600000);
    await ADMIN.client.updateGroup({ streamId: s.id, groupName: "auto", updateGroupDetails: { type: "AT_TIME", time: later } });
    eq(await committed(), 10, "reset AT_TIME after the newest");
    await expectError(ADMIN.client.getGroup({ streamId: s.id, groupName: "nobody" }), 404, "NotAuthorizedOrNotFound",
      "an unknown group");
    fs.writeFileSync("expire.json", JSON.stringify({ streamId: s.id, group: c,
      partition: await cursor(s.id, { partition: "0", type: "TRIM_HORIZON" }) }));
  });

  await runCase("signatureFailures", async () => {
    const sid = orders.id;
    await expectError(WRONG_KEY.admin.getStream({ streamId: sid }), 401, "NotAuthenticated", "signed with the wrong key");
    await expectError(STRANGER.admin.getStream({ streamId: sid }), 401, "NotAuthenticated", "an unknown keyId");
    await expectError(UNSIGNED.client.getMessages({ streamId: sid, cursor: "x" }), 401, "NotAuthenticated", "unsigned");
    // the SDK's own signer, then the request changed or dated outside the allowed skew
    const signer = new common.DefaultRequestSigner(provider(keys.admin));
    const send = async (method, path, body, xDate, sentBody = body) => {
      const uri = `${ENDPOINT}/20180418${path}`;
      const headers = new Headers({ "content-type": "application/json" });
      if (xDate) headers.set("x-date", xDate);
      const request = { method, uri, headers, body };
      await signer.signHttpRequest(request);
      return fetch(uri, { method, headers: request.headers, body: sentBody });
    };
    const ok = await send("POST", `/streams/${sid}/cursors`, JSON.stringify({ partition: "0", type: "LATEST" }));
    eq(ok.status, 200, "the signer's own request passes");
    const altered = await send("POST", `/streams/${sid}/cursors`, JSON.stringify({ partition: "0", type: "LATEST" }),
      null, JSON.stringify({ partition: "1", type: "LATEST" }));
    eq([altered.status, (await altered.json()).code], [401, "NotAuthenticated"], "an altered body");
    const skewed = await send("GET", `/streams/${sid}`, undefined, new Date(Date.now() - 10 * 60000).toUTCString());
    const skewedBody = await skewed.json();
    eq([skewed.status, skewedBody.code], [401, "NotAuthenticated"], "a date 10 minutes old");
  });

  await runCase("aReaderKeyIsScoped", async () => {
    const sensor = await createStream(`sensor-${PREFIX}`, 1);
    await put(ADMIN.client, sensor.id, [{ key: null, value: b64("t=21") }]);
    const c = await cursor(sensor.id, { partition: "0", type: "TRIM_HORIZON" }, READER.client);
    eq((await READER.client.getMessages({ streamId: sensor.id, cursor: c })).items.map((m) => unb64(m.value)), ["t=21"],
      "the reader reads a sensor stream");
    await expectError(put(READER.client, sensor.id, [{ key: null, value: b64("x") }]), 404, "NotAuthorizedOrNotFound",
      "the reader writes", "not authorized");
    await expectError(READER.admin.getStream({ streamId: orders.id }), 404, "NotAuthorizedOrNotFound",
      "the reader reads another stream");
    await expectError(READER.admin.createStream({ createStreamDetails: { name: "sensor-new", partitions: 1,
      compartmentId: COMPARTMENT } }), 404, "NotAuthorizedOrNotFound", "the reader creates a stream");
    const listed = (await READER.admin.listStreams({ compartmentId: COMPARTMENT })).items.map((s) => s.name);
    check(listed.includes(sensor.name) && !listed.includes(orders.name), `the reader lists only what it may read: ${listed}`);
  });

  await runCase("streamPoolDelete", async () => {
    await ADMIN.admin.deleteStreamPool({ streamPoolId: poolId });
    await ADMIN.admin.createWaiters().forStreamPool({ streamPoolId: poolId }, "DELETED");
    eq((await ADMIN.admin.getStreamPool({ streamPoolId: poolId })).streamPool.lifecycleState, "DELETED",
      "getStreamPool after delete");
    eq((await ADMIN.admin.listStreams({ compartmentId: COMPARTMENT, name: `${PREFIX}-paged-a` })).items, [],
      "the pool's streams went with it");
    await expectError(ADMIN.admin.createStream({ createStreamDetails: { name: "late", partitions: 1,
      streamPoolId: poolId } }), 404, "NotAuthorizedOrNotFound", "a stream in a deleted pool");
  });
}

main().then(() => emit({ case: "summary", ok: true, passed, failed }))
  .catch((e) => { emit({ case: "fatal", ok: false, detail: "driver crashed", error: errStr(e) }); emit({ case: "summary", ok: true, passed, failed: failed + 1 }); });
