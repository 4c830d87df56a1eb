// Runs kinesalite in memory on 127.0.0.1 only, for the Kinesis exporter's tests (Kinesalite.java starts it).
//
//   node kinesalite-loopback.js [port] [--exit-with-stdin]
//
// port: 0 (the default) asks the system for a free one. Once listening, prints exactly one line to stdout:
//   kinesalite listening on 127.0.0.1:<port> pid=<pid>
// Exits on SIGTERM and SIGINT, and with --exit-with-stdin also when its stdin closes, so that a test JVM that
// dies without stopping it does not leave it running.
'use strict';

const kinesalite = require('kinesalite');

const args = process.argv.slice(2);
const portArg = args.find((a) => !a.startsWith('--')) || '0';
const port = Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`kinesalite-loopback: port must be an integer from 0 to 65535, got "${portArg}"`);
  process.exit(2);
}

// no "path" option: kinesalite keeps its streams in memory. Streams become ACTIVE after 50 ms.
const server = kinesalite({ createStreamMs: 50, deleteStreamMs: 50, updateStreamMs: 50, shardLimit: 100 });

server.on('error', (err) => {
  console.error(`kinesalite-loopback: cannot listen on 127.0.0.1:${port}: ${err.message}`);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`kinesalite listening on ${address.address}:${address.port} pid=${process.pid}`);
});

const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (args.includes('--exit-with-stdin')) {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
