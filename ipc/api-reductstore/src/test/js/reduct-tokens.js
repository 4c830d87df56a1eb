#!/usr/bin/env node
/*
 * reduct-tokens.js - conformance driver for edgestream's ReductStore token API (/api/v1/tokens, /api/v1/me) using the
 * OFFICIAL ReductStore JavaScript client (reduct-js, pinned in package.json), unchanged. JUnit runs it:
 * OfficialReductTokensTest.
 *
 * Usage: node reduct-tokens.js <endpoint-url> <adminToken> <readerToken> [--prefix=NAME]
 *   <adminToken> is the configured credential "admin" (full access); <readerToken> the configured credential
 *   "sensor-reader", which may only read entries named sensor-* in any bucket.
 *
 * Output: one JSON object per line, one per case: {"case","ok","detail","error"}; the last line is
 * {"case":"summary","ok":true,"passed":N,"failed":M}. Exit 0 once all cases ran; 2 on bad usage. The cases build on
 * each other (a token made in one is used, rotated and deleted in the next ones).
 */
import { Bucket, Client } from "reduct-js";
import { check, eq, expectError, finish, parseArgs, runCase } from "./harness.js";

const { ENDPOINT, ADMIN_TOKEN, READER_TOKEN, PREFIX } = parseArgs("reduct-tokens.js");

const admin = new Client(ENDPOINT, { apiToken: ADMIN_TOKEN });
const reader = new Client(ENDPOINT, { apiToken: READER_TOKEN });
const T0 = 1_700_000_000_000_000n;
const A = `${PREFIX}-a`;
const B = `${PREFIX}-b`;
const C = `${PREFIX}-c`;
const RW = `${PREFIX}-rw`;
const FULL = `${PREFIX}-full`;
const CHILD = `${PREFIX}-child`;
const HOUR = 3_600_000;

async function write(bucket, entry, ts, body) {
  const record = await bucket.beginWrite(entry, { ts });
  await record.write(body);
}
async function readBody(bucket, entry) {
  return (await bucket.beginRead(entry)).readAsString();
}
const names = (list) => list.map((t) => t.name);

async function main() {
  let rwValue;
  await runCase("createATokenThatReadsOneBucketAndWritesAnother", async () => {
    for (const name of [A, B, C]) {
      const bucket = await admin.createBucket(name);
      await write(bucket, "e", T0, `in ${name}`);
    }
    const before = Date.now();
    rwValue = await admin.createToken(RW, { fullAccess: false, read: [A], write: [B] });
    check(typeof rwValue === "string" && rwValue.length >= 20, `the value: ${rwValue}`);
    await expectError(admin.createToken(RW, { fullAccess: false, read: [C] }), 409, "the same name again",
      "already exists");
    const token = await admin.getToken(RW);
    check(token.createdAt >= before - 5000 && token.createdAt <= Date.now() + 5000, `created_at ${token.createdAt}`);
    return `a value of ${rwValue.length} characters`;
  });

  await runCase("theTokenReadsAWritesBAndNothingElse", async () => {
    const rw = new Client(ENDPOINT, { apiToken: rwValue });
    const a = await rw.getBucket(A);
    eq(await readBody(a, "e"), `in ${A}`, "reads A");
    const intoA = await a.beginWrite("e", { ts: T0 + 1n });
    await expectError(intoA.write("no"), 403, "writes A", A);
    const b = new Bucket(B, rw.httpClient); // getBucket would read B
    await write(b, "e", T0 + 1n, "written by the token");
    eq(await readBody(await admin.getBucket(B), "e"), "written by the token", "the admin reads what it wrote to B");
    await expectError(rw.getBucket(B), 403, "gets B: write does not imply read", B);
    await expectError(b.beginRead("e"), 403, "reads B", B);
    await expectError(rw.getBucket(C), 403, "gets C", C);
    await expectError(new Bucket(C, rw.httpClient).beginRead("e"), 403, "reads C");
    const intoC = await new Bucket(C, rw.httpClient).beginWrite("e", { ts: T0 + 1n });
    await expectError(intoC.write("no"), 403, "writes C");
    await expectError(rw.createBucket(`${PREFIX}-d`), 403, "creates a bucket");
    const listed = (await rw.getBucketList()).map((x) => x.name);
    check(listed.includes(A) && !listed.includes(B) && !listed.includes(C), `lists only A: ${listed}`);
  });

  await runCase("listAndGetShowTheTokenWithItsPermissions", async () => {
    const list = await admin.getTokenList();
    const mine = list.find((t) => t.name === RW);
    check(mine !== undefined, `listed: ${names(list)}`);
    eq([mine.isProvisioned, mine.permissions], [false, { fullAccess: false, read: [A], write: [B] }], "listed");
    const token = await admin.getToken(RW);
    eq([token.name, token.isProvisioned, token.expiresAt, token.permissions],
      [RW, false, undefined, { fullAccess: false, read: [A], write: [B] }], "got");
    check(Number.isFinite(token.createdAt), `created_at parses: ${token.createdAt}`);
    await expectError(admin.getToken(`${PREFIX}-nothing`), 404, "an unknown token", "doesn't exist");
  });

  await runCase("meTellsEachCallerWhoItIs", async () => {
    const rw = new Client(ENDPOINT, { apiToken: rwValue });
    const me = await rw.me();
    eq([me.name, me.isProvisioned, me.permissions], [RW, false, { fullAccess: false, read: [A], write: [B] }],
      "the issued token");
    const adminMe = await admin.me();
    eq([adminMe.name, adminMe.isProvisioned, adminMe.permissions], ["admin", true,
      { fullAccess: true, read: [], write: [] }], "the configured administrator");
    check(Number.isFinite(adminMe.createdAt), "its created_at parses");
    const readerMe = await reader.me();
    eq([readerMe.name, readerMe.isProvisioned, readerMe.permissions], ["sensor-reader", true,
      { fullAccess: false, read: ["*"], write: [] }], "the configured reader (of sensor-* in every bucket)");
    await expectError(new Client(ENDPOINT, { apiToken: "not-a-token" }).me(), 401, "an unknown token");
  });

  await runCase("onlyFullAccessManagesTokens", async () => {
    const rw = new Client(ENDPOINT, { apiToken: rwValue });
    for (const [who, client] of [["the issued token", rw], ["the configured reader", reader]]) {
      await expectError(client.createToken(`${PREFIX}-x`, { fullAccess: true }), 403, `${who} creates`,
        "full access");
      await expectError(client.getTokenList(), 403, `${who} lists`, "full access");
      await expectError(client.getToken(RW), 403, `${who} gets`, "full access");
      await expectError(client.rotateToken(RW), 403, `${who} rotates`, "full access");
      await expectError(client.deleteToken(RW), 403, `${who} deletes`, "full access");
    }
    eq(names(await admin.getTokenList()).filter((n) => n.startsWith(PREFIX)), [RW], "nothing changed");
    eq(await readBody(await rw.getBucket(A), "e"), `in ${A}`, "the token still works");
  });

  let rotatedValue;
  await runCase("rotatingReplacesTheValue", async () => {
    const before = await admin.getToken(RW);
    rotatedValue = await admin.rotateToken(RW);
    check(typeof rotatedValue === "string" && rotatedValue !== rwValue, "a new value");
    await expectError(new Client(ENDPOINT, { apiToken: rwValue }).getBucket(A), 401, "the old value");
    const rotated = new Client(ENDPOINT, { apiToken: rotatedValue });
    eq(await readBody(await rotated.getBucket(A), "e"), `in ${A}`, "the new value reads A");
    const after = await admin.getToken(RW);
    eq(after.permissions, before.permissions, "the same permissions");
    check(after.createdAt >= before.createdAt, `created_at ${before.createdAt} -> ${after.createdAt}`);
    await expectError(admin.rotateToken(`${PREFIX}-nothing`), 404, "an unknown token", "doesn't exist");
  });

  await runCase("aFullAccessTokenManagesTokensAndWildcardsCoverPrefixes", async () => {
    const expiresAt = Date.now() + HOUR;
    const fullValue = await admin.createToken(FULL, { permissions: { fullAccess: true, read: [], write: [] },
      expiresAt });
    const full = new Client(ENDPOINT, { apiToken: fullValue });
    const fullMe = await full.me();
    eq([fullMe.name, fullMe.permissions.fullAccess], [FULL, true], "me");
    check(Math.abs(fullMe.expiresAt - expiresAt) < 1000, `expires_at ${fullMe.expiresAt}, asked ${expiresAt}`);
    const childValue = await full.createToken(CHILD, { fullAccess: false, read: [`${PREFIX}-*`] });
    const child = new Client(ENDPOINT, { apiToken: childValue });
    eq([await readBody(await child.getBucket(A), "e"), await readBody(await child.getBucket(C), "e")],
      [`in ${A}`, `in ${C}`], "the wildcard reads A and C");
    const intoA = await new Bucket(A, child.httpClient).beginWrite("e", { ts: T0 + 2n });
    await expectError(intoA.write("no"), 403, "the wildcard reader writes");
    await full.deleteToken(CHILD);
    await expectError(child.getBucket(A), 401, "the child after its deletion");
    await admin.deleteToken(FULL);
  });

  await runCase("unsupportedAndInvalidRequestsAre422", async () => {
    const read = [A];
    await expectError(admin.createToken(`${PREFIX}-ip`, { permissions: { read }, ipAllowlist: ["127.0.0.1"] }),
      422, "an IP allowlist", "ip_allowlist");
    await expectError(admin.createToken(`${PREFIX}-ttl`, { permissions: { read }, ttl: 60 }), 422,
      "an inactivity TTL", "ttl");
    await expectError(admin.createToken(`${PREFIX}-past`, { permissions: { read }, expiresAt: Date.now() - HOUR }),
      422, "an expiry in the past", "future");
    await expectError(admin.createToken(`${PREFIX}-bad`, { read: ["a/b"] }), 422, "a bad bucket name",
      "permissions.read[0]");
    await expectError(admin.createToken(`${PREFIX}-mid`, { write: ["a*b"] }), 422, "a wildcard inside a name",
      "permissions.write[0]");
    await expectError(admin.createToken("bad name", { read }), 422, "a bad token name", "token id");
    eq(names(await admin.getTokenList()).filter((n) => n.startsWith(PREFIX)), [RW], "none was made");
  });

  await runCase("aDeletedTokenIsRefused", async () => {
    await admin.deleteToken(RW);
    await expectError(new Client(ENDPOINT, { apiToken: rotatedValue }).getBucket(A), 401, "the deleted token");
    await expectError(admin.getToken(RW), 404, "get", "doesn't exist");
    await expectError(admin.deleteToken(RW), 404, "a second delete", "doesn't exist");
    check(!names(await admin.getTokenList()).includes(RW), "not listed");
    const again = await admin.createToken(RW, { fullAccess: false, write: [A] });
    const client = new Client(ENDPOINT, { apiToken: again });
    await write(new Bucket(A, client.httpClient), "e", T0 + 3n, "the name is free again");
    eq((await client.me()).permissions, { fullAccess: false, read: [], write: [A] }, "a new token of that name");
  });
}

finish(main);
