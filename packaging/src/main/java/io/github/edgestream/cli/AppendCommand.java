package io.github.edgestream.cli;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.RecordLimits;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgestream append STREAM [MESSAGE...] | --stdin | --file F} [--expect-seq N] [--fencing-token T]. */
@Command(name = "append", description = "Append messages to a stream: each argument is one message, or each line"
        + " of standard input (--stdin), or a whole file (--file). Prints the sequence numbers. With --expect-seq or"
        + " --fencing-token the messages go as one atomic batch, appended only if the condition holds.",
        mixinStandardHelpOptions = true)
final class AppendCommand extends ClientCommand {

    @Parameters(index = "0", description = "Stream name.")
    String stream;

    @Parameters(index = "1..*", arity = "0..*", description = "Messages (UTF-8 text).")
    List<String> messages = new ArrayList<>();

    @Option(names = "--stdin", description = "Append each line of standard input as one message.")
    boolean stdin;

    @Option(names = "--file", description = "Append the whole file as one message.")
    Path file;

    @Option(names = "--expect-seq", description = "Append only if the first message gets this sequence number"
            + " (the stream's next); otherwise fail, naming the actual one, and append nothing.")
    Long expectSeq;

    @Option(names = "--fencing-token", description = "Append only if this is the stream's fencing token.")
    String fencingToken;

    @Option(names = "--key", description = "Each message's key (text), e.g. a Kinesis partition key.")
    String key;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "A header on each message (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--timestamp", description = "Each message's timestamp (ISO 8601); default: when it is stored.")
    String timestamp;

    @Option(names = "--namespace", description = "The stream's namespace (see read --namespace).")
    String namespace;

    @Override
    int run(StreamManagerClient client, Output output) throws Exception {
        if (expectSeq != null || fencingToken != null || key != null || !headers.isEmpty() || timestamp != null
                || namespace != null) {
            return appendBatch(client, output);
        }
        int sources = (messages.isEmpty() ? 0 : 1) + (stdin ? 1 : 0) + (file == null ? 0 : 1);
        if (sources != 1) {
            throw new UsageException("give messages as arguments, or --stdin, or --file (one of them)");
        }
        List<Long> sequences = new ArrayList<>();
        if (file != null) {
            sequences.add(await(client.appendMessage(stream, Files.readAllBytes(file))));
        } else if (stdin) {
            // pipelined: many appends in flight, acknowledged in order of their sequence numbers
            List<CompletableFuture<Long>> pending = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(stdin(), StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    pending.add(client.appendMessage(stream, line.getBytes(StandardCharsets.UTF_8)));
                }
                if (pending.size() >= 256) {
                    sequences.add(await(pending.remove(0)));
                }
            }
            for (CompletableFuture<Long> append : pending) {
                sequences.add(await(append));
            }
        } else {
            for (String message : messages) {
                sequences.add(await(client.appendMessage(stream, message.getBytes(StandardCharsets.UTF_8))));
            }
        }
        report(sequences, output);
        return ExitCodes.OK;
    }

    /** The messages as one conditional batch (at most 1,000, as the store takes them). */
    private int appendBatch(StreamManagerClient client, Output output) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        if (file != null) {
            payloads.add(Files.readAllBytes(file));
        } else if (stdin) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(stdin(), StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    payloads.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        } else {
            messages.forEach(message -> payloads.add(message.getBytes(StandardCharsets.UTF_8)));
        }
        if (payloads.isEmpty() || payloads.size() > RecordLimits.MAX_BATCH_RECORDS) {
            throw new UsageException("a conditional append takes 1 to " + RecordLimits.MAX_BATCH_RECORDS
                    + " messages, not " + payloads.size());
        }
        List<AppendRecord> records = payloads.stream().map(this::record).toList();
        AppendResult result = await(client.extensions(namespace).appendBatch(stream, records,
                expectSeq == null ? OptionalLong.empty() : OptionalLong.of(expectSeq), fencingToken));
        List<Long> sequences = new ArrayList<>();
        for (long s = result.firstSequence(); s < result.nextSequence(); s++) {
            sequences.add(s);
        }
        report(sequences, output);
        return ExitCodes.OK;
    }

    /** A record of this payload with the command line's key, headers and timestamp. */
    private AppendRecord record(byte[] payload) {
        AppendRecord record = AppendRecord.of(payload);
        if (key != null) {
            record = record.withKey(key.getBytes(StandardCharsets.UTF_8));
        }
        if (!headers.isEmpty()) {
            List<Header> parsed = new ArrayList<>();
            for (String header : headers) {
                int equals = header.indexOf('=');
                if (equals < 0) {
                    throw new UsageException("--header \"" + header + "\" must be NAME=VALUE");
                }
                parsed.add(Header.of(header.substring(0, equals), header.substring(equals + 1)));
            }
            record = record.withHeaders(parsed);
        }
        if (timestamp != null) {
            try {
                java.time.Instant at = java.time.Instant.parse(timestamp);
                record = record.withTimestampMicros(Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L),
                        at.getNano() / 1000));
            } catch (java.time.format.DateTimeParseException e) {
                throw new UsageException("--timestamp \"" + timestamp + "\" must be an ISO 8601 instant such as"
                        + " 2026-12-05T08:00:00Z");
            }
        }
        return record;
    }

    private void report(List<Long> sequences, Output output) {
        if (output.json()) {
            output.printJson(Map.of("stream", stream, "sequenceNumbers", sequences));
        } else if (sequences.size() == 1) {
            output.line("appended to \"" + stream + "\" as sequence number " + sequences.get(0));
        } else {
            output.line("appended " + sequences.size() + " messages to \"" + stream + "\" as sequence numbers "
                    + (sequences.isEmpty() ? "(none)" : sequences.get(0) + ".." + sequences.get(sequences.size() - 1)));
        }
    }
}
