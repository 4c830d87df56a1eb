package io.github.edgestream.cli;

import io.github.edgestream.ipc.client.CursorInfo;
import io.github.edgestream.ipc.client.CursorListing;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgestream groups list|describe|reset}: the readers of a stream, consumers (named cursors), consumer groups
 * and exports alike, each with its position and how far behind the stream's newest message it is; a consumer group
 * over a partitioned stream (the only reader of it that is listed) with its position and lag in each partition.
 */
@Command(name = "groups", description = "List, describe and reset the consumers, consumer groups and exports"
        + " reading a stream (their cursors).",
        subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Describe.class, GroupsCommand.Reset.class},
        mixinStandardHelpOptions = true)
final class GroupsCommand {

    @picocli.CommandLine.ParentCommand
    EdgestreamCli parent;

    @Command(name = "list", description = "Every cursor of the stream: kind, position, lag, generation; a consumer"
            + " group over a partitioned stream has a row per partition.", mixinStandardHelpOptions = true)
    static final class ListGroups extends ClientCommand {
        @Mixin
        StreamTarget target;

        @Override
        int run(StreamManagerClient client, Output output) throws Exception {
            CursorListing listing = listing(client, target);
            if (output.json()) {
                output.printJson(listing.cursors().stream().map(c -> row(c, listing)).toList());
                return ExitCodes.OK;
            }
            boolean partitioned = listing.cursors().stream().anyMatch(c -> c.positions().size() > 1);
            List<List<String>> rows = new ArrayList<>();
            for (CursorInfo c : listing.cursors()) {
                for (int p = 0; p < c.positions().size(); p++) {
                    List<String> row = new ArrayList<>(List.of(c.name(), c.kind()));
                    if (partitioned) {
                        row.add(Integer.toString(p));
                    }
                    row.addAll(List.of(Long.toString(c.positions().get(p)), Long.toString(listing.lag(c, p)),
                            Long.toString(c.generation()), c.updatedAt().toString()));
                    rows.add(row);
                }
            }
            output.table(partitioned ? List.of("NAME", "KIND", "PARTITION", "POSITION", "LAG", "GENERATION", "UPDATED")
                    : List.of("NAME", "KIND", "POSITION", "LAG", "GENERATION", "UPDATED"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "describe", description = "One cursor of the stream.", mixinStandardHelpOptions = true)
    static final class Describe extends ClientCommand {
        @Mixin
        StreamTarget target;

        @Parameters(index = "1", description = "Cursor (consumer, group or export) name.")
        String name;

        @Override
        int run(StreamManagerClient client, Output output) throws Exception {
            CursorListing listing = listing(client, target);
            List<CursorInfo> matching = listing.cursors().stream().filter(c -> c.name().equals(name)).toList();
            if (matching.isEmpty()) {
                output.error("stream \"" + target.stream + "\" has no consumer, group or export named \"" + name + "\"");
                return ExitCodes.REFUSED;
            }
            if (output.json()) {
                output.printJson(matching.stream().map(c -> row(c, listing)).toList());
                return ExitCodes.OK;
            }
            for (CursorInfo c : matching) {
                row(c, listing).forEach((field, value) -> {
                    if (!field.equals("partitions")) {
                        output.line(String.format("%-12s %s", field, value));
                    }
                });
                if (c.positions().size() > 1) {
                    List<List<String>> rows = new ArrayList<>();
                    for (int p = 0; p < c.positions().size(); p++) {
                        rows.add(List.of(Integer.toString(p), Long.toString(c.positions().get(p)),
                                Long.toString(listing.lag(c, p))));
                    }
                    output.table(List.of("PARTITION", "POSITION", "LAG"), rows);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "reset", description = "Move a consumer's cursor, or every partition of a consumer group, to a"
            + " sequence number or a time, back or forward (its generation goes up, so a member holding the old one"
            + " cannot commit over it).", mixinStandardHelpOptions = true)
    static final class Reset extends ClientCommand {
        @Mixin
        StreamTarget target;

        @Parameters(index = "1", description = "Consumer or group name.")
        String name;

        @Option(names = "--to", description = "The sequence number to read next.")
        Long to;

        @Option(names = "--to-time", description = "The first message timestamped at or after this instant (ISO 8601).")
        String toTime;

        @Option(names = "--to-latest", description = "After the newest message: only new ones will be read.")
        boolean toLatest;

        @Override
        int run(StreamManagerClient client, Output output) throws Exception {
            int given = (to != null ? 1 : 0) + (toTime != null ? 1 : 0) + (toLatest ? 1 : 0);
            if (given != 1) {
                throw new UsageException("give one of --to, --to-time and --to-latest");
            }
            long position;
            if (to != null) {
                position = to;
            } else if (toLatest) {
                position = next(client, target.stream, target.namespace);
            } else {
                try {
                    position = await(client.extensions(target.namespace).seekTime(target.stream, Instant.parse(toTime)));
                } catch (DateTimeParseException e) {
                    throw new UsageException("--to-time \"" + toTime + "\" must be an ISO 8601 instant such as"
                            + " 2026-12-05T08:00:00Z");
                }
            }
            CursorInfo cursor = await(client.extensions(target.namespace).resetCursor(target.stream, name, position));
            if (output.json()) {
                output.printJson(row(cursor, new CursorListing(List.of(cursor), List.of(position))));
            } else {
                output.line("reset \"" + name + "\" of stream \"" + target.stream + "\" to sequence number "
                        + cursor.position() + " (generation " + cursor.generation() + ")");
            }
            return ExitCodes.OK;
        }
    }

    /** The stream a subcommand works on: its name, and its namespace if not the default. */
    static final class StreamTarget {
        @Parameters(index = "0", description = "Stream name.")
        String stream;

        @Option(names = "--namespace", description = "The stream's namespace (see read --namespace).")
        String namespace;
    }

    /** After every timestamp a record may carry: seeking there finds the stream's next sequence number. */
    private static final Instant AFTER_EVERY_RECORD = Instant.parse("9999-12-31T23:59:59.999999Z").plusNanos(1000);

    /** The stream's next sequence number (its tail). */
    private static long next(StreamManagerClient client, String stream, String namespace) throws Exception {
        if (namespace == null) {
            return ClientCommand.await(client.describeMessageStream(stream)).newestSequenceNumber() + 1;
        }
        return ClientCommand.await(client.extensions(namespace).seekTime(stream, AFTER_EVERY_RECORD));
    }

    /**
     * The stream's cursors with each partition's next sequence number; from a server that does not send those (older
     * than them), the stream's tail is asked for separately (a stream of one partition: the only kind it lists).
     */
    private static CursorListing listing(StreamManagerClient client, StreamTarget target) throws Exception {
        CursorListing listing = ClientCommand.await(client.extensions(target.namespace)
                .listCursorsWithTails(target.stream));
        if (!listing.nextSequenceNumbers().isEmpty()) {
            return listing;
        }
        return new CursorListing(listing.cursors(), List.of(next(client, target.stream, target.namespace)));
    }

    /**
     * A cursor as JSON: {@code position} and {@code lag} are partition 0's for a stream of one partition; a group over
     * a partitioned stream adds {@code partitions} (partition, position, lag each), and its {@code lag} is their sum.
     */
    private static Map<String, Object> row(CursorInfo cursor, CursorListing listing) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", cursor.name());
        row.put("kind", cursor.kind());
        row.put("position", cursor.position());
        long lag = 0;
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (int p = 0; p < cursor.positions().size(); p++) {
            lag += listing.lag(cursor, p);
            Map<String, Object> partition = new LinkedHashMap<>();
            partition.put("partition", p);
            partition.put("position", cursor.positions().get(p));
            partition.put("lag", listing.lag(cursor, p));
            partitions.add(partition);
        }
        row.put("lag", lag);
        row.put("generation", cursor.generation());
        row.put("updatedAt", cursor.updatedAt().toString());
        if (partitions.size() > 1) {
            row.put("partitions", partitions);
        }
        return row;
    }
}
