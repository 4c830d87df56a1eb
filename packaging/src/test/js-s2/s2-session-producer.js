// Appends numbered records to one S2 stream through the official SDK's append session (S2S over h2c), pipelined,
// each batch conditional on the stream's tail (match_seq_num), and prints one line per acknowledgement:
//   ACK <start> <end>
// Every record's body is "r<its sequence number>", so a reader can tell that each record sits where its producer
// meant it to (no duplicate, no hole, in order). Usage:
//   node s2-session-producer.js <endpoint> <token> <basin> <stream> <records|forever> [batch=10] [inflight=8]
// It starts at the stream's tail (check tail), creating basin and stream if needed, and exits 0 once <records> are
// acknowledged, or 1 printing "ERROR <message>" when the session fails (the daemon was killed).
import { AppendInput, AppendRecord, S2 } from "@s2-dev/streamstore";

const [endpoint, token, basinName, streamName, total, batchArg, inflightArg] = process.argv.slice(2);
const batchSize = Number(batchArg ?? 10);
const inflight = Number(inflightArg ?? 8);
const limit = total === "forever" ? Infinity : Number(total);
const s2 = new S2({
  accessToken: token,
  endpoints: { account: endpoint, basin: endpoint },
  retry: { maxAttempts: 1 },
});

async function ensure() {
  try {
    await s2.basins.create({ basin: basinName });
  } catch (e) {
    if (e.status !== 409) throw e;
  }
  try {
    await s2.basin(basinName).streams.create({ stream: streamName });
  } catch (e) {
    if (e.status !== 409) throw e;
  }
}

async function main() {
  await ensure();
  const stream = s2.basin(basinName).stream(streamName);
  const { tail } = await stream.checkTail();
  let next = Number(tail.seqNum);
  console.log(`START ${next}`);
  const session = await stream.appendSession();
  const pending = [];
  let sent = 0;
  while (sent < limit || pending.length > 0) {
    while (sent < limit && pending.length < inflight) {
      const records = [];
      for (let i = 0; i < batchSize; i++) {
        records.push(AppendRecord.string({ body: `r${next + i}` }));
      }
      const ticket = await session.submit(AppendInput.create(records, { matchSeqNum: next }));
      pending.push(ticket.ack());
      next += batchSize;
      sent += batchSize;
    }
    const ack = await pending.shift();
    console.log(`ACK ${ack.start.seqNum} ${ack.end.seqNum}`);
  }
  await session.close();
}

main().then(() => process.exit(0), (e) => {
  console.log(`ERROR ${e?.status ?? ""} ${e?.message ?? e}`);
  process.exit(1);
});
