// Signs requests with the official OCI TypeScript SDK signer (oci-common's DefaultRequestSigner, the one
// StreamClient uses) and prints, as one JSON line, every request as the SDK would send it: method, uri and headers.
// The Java test (OciSignatureVerifierNodeTest) feeds them to OciSignatureVerifier.
//
// usage: node oci-sign.js <private key PEM file> <keyId tenancy/user/fingerprint> <host:port>
"use strict";
const fs = require("fs");
const common = require("oci-common");

async function main() {
  const [keyFile, keyId, host] = process.argv.slice(2);
  if (!keyFile || !keyId || !host) {
    throw new Error("usage: node oci-sign.js <private key PEM file> <keyId> <host:port>");
  }
  const [tenancy, user, fingerprint] = keyId.split("/");
  const provider = new common.SimpleAuthenticationDetailsProvider(tenancy, user, fingerprint,
      fs.readFileSync(keyFile, "utf8"), null, null);
  const signer = new common.DefaultRequestSigner(provider);
  const base = "http://" + host + "/20180418";
  const cases = [
    { name: "get", method: "GET", uri: base + "/streams/s1/messages?cursor=eyJwIjoiMCIsIm8iOjB9&limit=10" },
    { name: "post", method: "POST", uri: base + "/streams/s1/cursors",
      body: JSON.stringify({ partition: "0", type: "TRIM_HORIZON" }) },
    { name: "putMessages", method: "POST", uri: base + "/streams/s1/messages", excludeBody: true,
      body: JSON.stringify({ messages: [{ key: "azE=", value: "aGVsbG8=" }, { key: null, value: "d29ybGQ=" }] }) },
    { name: "emptyPost", method: "POST", uri: base + "/streams/s1/commit?cursor=abc", body: "" },
  ];
  const out = [];
  for (const c of cases) {
    const request = { method: c.method, uri: c.uri, headers: new Headers(), body: c.body };
    await signer.signHttpRequest(request, c.excludeBody === true);
    const headers = {};
    request.headers.forEach((value, name) => { headers[name] = value; });
    const url = new URL(c.uri);
    out.push({ name: c.name, method: c.method, path: url.pathname, query: url.search.replace(/^\?/, ""),
      headers, body: c.body === undefined ? "" : c.body });
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + "\n"); process.exit(1); });
