package io.github.edgestream.cli;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.client.StreamManagerException;
import io.github.edgestream.ipc.wire.ResponseStatus;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgestream read STREAM [--from N | --since D | --from-time T] [--max N] [--follow]}. */
@Command(name = "read", description = "Read messages from a sequence number, or from a time (--since, --from-time);"
        + " with --follow, keep printing new messages as they arrive until interrupted (Ctrl-C).",
        mixinStandardHelpOptions = true)
final class ReadCommand extends ClientCommand {

    /** Fixed columns, so that rows printed as they arrive (--follow) line up with the header. */
    private static final String ROW = "%-10s  %-24s  %s";

    @Parameters(index = "0", description = "Stream name.")
    String stream;

    @Option(names = "--from", description = "First sequence number (default 0; older ones start at the oldest).")
    long from;

    @Option(names = "--since", description = "Start at the first message timestamped this long ago or later"
            + " (e.g. 10m, 2h, 1d).", converter = Parsers.DurationConverter.class)
    Duration since;

    @Option(names = "--from-time", description = "Start at the first message timestamped at or after this instant"
            + " (ISO 8601, e.g. 2026-12-05T08:00:00Z).")
    String fromTime;

    @Option(names = "--max", description = "At most this many messages per read (default 100).")
    int max = 100;

    @Option(names = "--min", description = "Wait for at least this many (default 1).")
    int min = 1;

    @Option(names = "--wait", description = "How long to wait for --min messages (default 0: answer at once).",
            converter = Parsers.DurationConverter.class)
    Duration wait = Duration.ZERO;

    @Option(names = "--follow", description = "Keep reading new messages until interrupted.")
    boolean follow;

    @Option(names = "--base64", description = "Print payloads as base64 (default: text when valid UTF-8).")
    boolean base64;

    @Option(names = "--records", description = "Also print each record's timestamp, key and headers.")
    boolean records;

    @Option(names = "--namespace", description = "The stream's namespace (an S2 basin s2.NAME, a ReductStore bucket"
            + " reductstore.NAME); default: the default namespace. Implies --records.")
    String namespace;

    /** Fixed columns of --records. */
    private static final String RECORD_ROW = "%-10s  %-27s  %-16s  %-24s  %s";

    @Override
    int run(StreamManagerClient client, Output output) throws Exception {
        if (min < 1 || max < min) {
            throw new UsageException("--min must be at least 1 and --max at least --min");
        }
        long next = start(client);
        Duration pollWait = follow ? Duration.ofSeconds(30) : wait;
        boolean rich = records || namespace != null;
        if (!follow && !output.json()) {
            output.line(rich ? String.format(RECORD_ROW, "SEQUENCE", "TIMESTAMP", "KEY", "HEADERS", "PAYLOAD")
                    : String.format(ROW, "SEQUENCE", "INGEST TIME", "PAYLOAD"));
        }
        do {
            List<Message> messages;
            try {
                messages = rich
                        ? await(client.extensions(namespace).readRecords(stream, next, follow ? 1 : min, max,
                                pollWait, null))
                        : await(client.readMessages(stream, next, follow ? 1 : min, max, pollWait));
            } catch (StreamManagerException e) {
                if (e.status() != ResponseStatus.NOT_ENOUGH_MESSAGES) {
                    throw e;
                }
                if (!follow) {
                    if (output.json()) {
                        output.printJson(List.of());
                    } else {
                        output.error("no messages from sequence number " + next + " (" + e.getMessage() + ")");
                    }
                    return ExitCodes.OK;
                }
                continue;
            }
            print(messages, output);
            next = messages.get(messages.size() - 1).sequenceNumber() + 1;
        } while (follow);
        return ExitCodes.OK;
    }

    /** Where to start: --from, or the sequence number the server finds for --since or --from-time. */
    private long start(StreamManagerClient client) throws Exception {
        int given = (from != 0 ? 1 : 0) + (since != null ? 1 : 0) + (fromTime != null ? 1 : 0);
        if (given > 1) {
            throw new UsageException("give one of --from, --since and --from-time");
        }
        Instant time;
        if (since != null) {
            time = clock().instant().minus(since);
        } else if (fromTime != null) {
            try {
                time = Instant.parse(fromTime);
            } catch (DateTimeParseException e) {
                throw new UsageException("--from-time \"" + fromTime + "\" must be an ISO 8601 instant such as"
                        + " 2026-12-05T08:00:00Z");
            }
        } else {
            return from;
        }
        return await(client.extensions(namespace).seekTime(stream, time));
    }

    /** The clock --since counts back from; tests replace it. */
    java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    private void print(List<Message> messages, Output output) {
        if (output.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Message m : messages) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("sequenceNumber", m.sequenceNumber());
                row.put("ingestTime", m.ingestTimeEpochMillis());
                if (records || namespace != null) {
                    row.put("timestampMicros", m.timestampMicros());
                    if (m.hasKey()) {
                        row.put("keyBase64", Base64.getEncoder().encodeToString(m.key()));
                    }
                    if (!m.headers().isEmpty()) {
                        row.put("headers", m.headers().stream().map(h -> Map.of("name", render(h.name()),
                                "value", render(h.value()))).toList());
                    }
                }
                row.put("payloadBase64", Base64.getEncoder().encodeToString(m.payload()));
                rows.add(row);
            }
            if (follow) {
                rows.forEach(output::printJsonLine);
            } else {
                output.printJson(rows);
            }
            return;
        }
        for (Message m : messages) {
            if (records || namespace != null) {
                output.line(String.format(RECORD_ROW, m.sequenceNumber(), m.timestamp(),
                        m.hasKey() ? render(m.key()) : "-", m.headers().isEmpty() ? "-" : m.headers().stream()
                                .map(h -> render(h.name()) + "=" + render(h.value()))
                                .collect(java.util.stream.Collectors.joining(",")), render(m.payload())));
            } else {
                output.line(String.format(ROW, m.sequenceNumber(), m.ingestTime(), render(m.payload())));
            }
        }
    }

    private String render(byte[] payload) {
        if (!base64) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(payload)).toString().replace("\n", "\\n");
            } catch (CharacterCodingException binary) {
                // fall through to base64
            }
        }
        return "base64:" + Base64.getEncoder().encodeToString(payload);
    }
}
