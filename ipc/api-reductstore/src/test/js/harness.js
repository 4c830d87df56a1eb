/*
 * harness.js - what reduct.js and reduct-tokens.js share: their arguments, the case runner and its JSON-lines output
 * ({"case","ok","detail","error"} per case, then {"case":"summary","ok":true,"passed":N,"failed":M}), and the checks.
 */
export function parseArgs(script) {
  const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const prefixFlag = process.argv.slice(2).find((a) => a.startsWith("--prefix="));
  if (positional.length !== 3) {
    process.stderr.write(`usage: node ${script} <endpoint-url> <adminToken> <readerToken> [--prefix=NAME]\n`);
    process.exit(2);
  }
  const [ENDPOINT, ADMIN_TOKEN, READER_TOKEN] = positional;
  const PREFIX = prefixFlag ? prefixFlag.slice("--prefix=".length) : `js${Date.now().toString(36)}`;
  return { ENDPOINT, ADMIN_TOKEN, READER_TOKEN, PREFIX };
}

const CASE_TIMEOUT_MS = Number(process.env.REDUCTJS_CASE_TIMEOUT_MS || 20000);
let passed = 0;
let failed = 0;

export class CaseFailure extends Error {
  constructor(message, seenError) { super(message); this.seenError = seenError; }
}
export const emit = (o) => process.stdout.write(JSON.stringify(o, (k, v) => (typeof v === "bigint" ? v.toString()
  : v)) + "\n");
export const errStr = (e) => (e ? `${e.name || "Error"}: ${e.status ?? ""} ${e.message}` : "");
export function check(cond, message) { if (!cond) throw new CaseFailure(message); }
export function eq(actual, expected, what) {
  const s = (v) => JSON.stringify(v, (k, x) => (typeof x === "bigint" ? x.toString() : x));
  if (s(actual) !== s(expected)) throw new CaseFailure(`${what}: expected ${s(expected)}, got ${s(actual)}`);
}
export async function expectError(promise, status, what, part) {
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
export async function runCase(name, fn) {
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
/** Runs the script's cases, then prints the summary (a crash of the driver counts as one more failure). */
export function finish(main) {
  main().then(() => emit({ case: "summary", ok: true, passed, failed }))
    .catch((e) => { emit({ case: "fatal", ok: false, detail: "driver crashed", error: errStr(e) });
      emit({ case: "summary", ok: true, passed, failed: failed + 1 }); });
}
