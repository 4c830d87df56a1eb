package io.github.edgestream.cli;

import io.github.edgestream.core.export.ExportStatus;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.client.StreamDescription;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.wire.ProtocolCodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code edgestream streams list|create|describe|update|delete}; list, describe and update also in another namespace
 * ({@code --namespace s2.<basin>}), through the extension operations 80, 82 and 84 ({@code ipc/EXTENSIONS.md}).
 */
@Command(name = "streams", description = "Create, list, describe, update and delete streams.",
        subcommands = {StreamsCommand.ListStreams.class, StreamsCommand.Create.class, StreamsCommand.Describe.class,
                StreamsCommand.Update.class, StreamsCommand.Delete.class},
        mixinStandardHelpOptions = true)
final class StreamsCommand {

    @picocli.CommandLine.ParentCommand
    EdgestreamCli parent;

    @Command(name = "list", description = "Every stream with its size, limit and newest sequence number.",
            mixinStandardHelpOptions = true)
    static final class ListStreams extends ClientCommand {
        @picocli.CommandLine.Option(names = "--namespace", paramLabel = "NAMESPACE", description = NAMESPACE_HELP)
        String namespace;

        @Override
        int run(StreamManagerClient client, Output output) throws Exception {
            List<String> names = await(client.listStreams(namespace));
            List<CompletableFuture<StreamDescription>> described = names.stream()
                    .map(name -> client.describeMessageStream(namespace, name)).toList();
            List<StreamDescription> streams = new ArrayList<>();
            for (CompletableFuture<StreamDescription> description : described) {
                streams.add(await(description));
            }
            if (output.json()) {
                output.printJson(streams.stream().map(StreamsCommand::summary).toList());
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (StreamDescription s : streams) {
                StreamDefinition d = s.definition();
                rows.add(List.of(d.name().value(), ProtocolCodes.name(d.persistence()), s.totalSize().toString(),
                        d.maxSize().toString(), ProtocolCodes.name(d.strategyOnFull()),
                        s.newestSequenceNumber() < 0 ? "-" : s.oldestSequenceNumber() + ".." + s.newestSequenceNumber(),
                        Integer.toString(d.exports().size())));
            }
            output.table(List.of("NAME", "PERSISTENCE", "STORED", "MAX SIZE", "WHEN FULL", "SEQUENCE NUMBERS",
                    "EXPORTS"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a stream: its NAME and --strategy (required: what to do when it is full), with "
                    + "the other flags optional; or a whole definition with --file (JSON/YAML).",
            customSynopsis = {
                "edgestream streams create NAME --strategy=reject|overwrite [--max-size=SIZE]",
                "           [--segment-size=SIZE] [--ttl=DURATION] [--persistence=file|memory]",
                "           [--flush-on-write] [OPTIONS]",
                "   or: edgestream streams create [NAME] --file=FILE [OPTIONS]"})
    static final class Create extends ClientCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
                description = "Stream name (with --file: instead of the file's name field).")
        String name;

        @picocli.CommandLine.Option(names = "--strategy", paramLabel = "reject|overwrite",
                description = "Required (unless --file): when the stream is full, " + DefinitionInput.STRATEGIES
                        + ".")
        String strategy;

        @Mixin
        DefinitionInput input;

        @Override
        int run(StreamManagerClient client, Output output) throws Exception {
            if (name == null && input.file == null) {
                throw new UsageException("missing NAME: give a stream name and --strategy, or --file with a "
                        + "definition");
            }
            StreamDefinition definition = input.definition(name, null, strategy);
            await(client.createMessageStream(definition));
            if (output.json()) {
                output.printJson(definitionMap(definition));
            } else {
                output.line("created stream \"" + definition.name() + "\"");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", description = "Change a stream's definition: flags change only what they name; "
            + "--exports replaces its exports; --file replaces the whole definition.", mixinStandardHelpOptions = true)
    static final class Update extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Stream name.")
        String name;

        @picocli.CommandLine.Option(names = "--namespace", paramLabel = "NAMESPACE", description = NAMESPACE_HELP)
        String namespace;

        @picocli.CommandLine.Option(names = "--strategy", paramLabel = "reject|overwrite",
                description = "When the stream is full: " + DefinitionInput.STRATEGIES + ".")
        String strategy;

        @Mixin
        DefinitionInput input;

        @Override
        int run(StreamManagerClient client, Output output) throws Exception {
            StreamDefinition current = await(client.describeMessageStream(namespace, name)).definition();
            StreamDefinition updated = input.definition(name, current, strategy);
            await(client.updateMessageStream(namespace, updated));
            if (output.json()) {
                output.printJson(definitionMap(updated));
            } else {
                output.line("updated stream \"" + name + "\"" + inNamespace(namespace));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "describe", description = "Definition, storage status and export progress of a stream.",
            mixinStandardHelpOptions = true)
    static final class Describe extends ClientCommand {
        @Parameters(index = "0", description = "Stream name.")
        String name;

        @picocli.CommandLine.Option(names = "--namespace", paramLabel = "NAMESPACE", description = NAMESPACE_HELP)
        String namespace;

        @Override
        int run(StreamManagerClient client, Output output) throws Exception {
            StreamDescription s = await(client.describeMessageStream(namespace, name));
            if (output.json()) {
                output.printJson(summary(s));
                return ExitCodes.OK;
            }
            StreamDefinition d = s.definition();
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("name", d.name().value()));
            if (namespace != null) {
                rows.add(List.of("namespace", namespace));
            }
            rows.add(List.of("persistence", ProtocolCodes.name(d.persistence())
                    + (d.flushOnWrite() ? ", flush on write" : "")));
            rows.add(List.of("stored", s.totalSize() + " of " + d.maxSize() + " (" + percent(s.totalSize(),
                    d.maxSize()) + ")"));
            rows.add(List.of("when full", ProtocolCodes.name(d.strategyOnFull())));
            rows.add(List.of("segment size", d.segmentSize().toString()));
            rows.add(List.of("time to live", d.timeToLive().map(io.github.edgestream.config.SettingTypes.DURATION::render)
                    .orElse("none")));
            rows.add(List.of("sequence numbers", s.newestSequenceNumber() < 0 ? "none yet"
                    : "oldest " + s.oldestSequenceNumber() + ", newest " + s.newestSequenceNumber()));
            output.table(List.of("FIELD", "VALUE"), rows);
            if (!s.exportStatuses().isEmpty()) {
                output.line("");
                List<List<String>> exports = new ArrayList<>();
                for (ExportStatus e : s.exportStatuses()) {
                    exports.add(List.of(e.exportIdentifier(), Long.toString(e.lastExportedSequenceNumber()),
                            Long.toString(e.exportedMessages()), DataSize.ofBytes(e.exportedBytes()).toString(),
                            e.errorMessage().orElse("-")));
                }
                output.table(List.of("EXPORT", "LAST EXPORTED", "MESSAGES", "BYTES", "LAST ERROR"), exports);
            }
            return ExitCodes.OK;
        }

        private static String percent(DataSize part, DataSize whole) {
            return String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part.bytes() / whole.bytes());
        }
    }

    @Command(name = "delete", description = "Delete a stream and all its messages.", mixinStandardHelpOptions = true)
    static final class Delete extends ClientCommand {
        @Parameters(index = "0", description = "Stream name.")
        String name;

        @Override
        int run(StreamManagerClient client, Output output) throws Exception {
            await(client.deleteMessageStream(name));
            if (!output.json()) {
                output.line("deleted stream \"" + name + "\"");
            } else {
                output.printJson(Map.of("deleted", name));
            }
            return ExitCodes.OK;
        }
    }

    /** The help of --namespace, for list, describe and update. */
    static final String NAMESPACE_HELP = "The namespace of the streams (an S2 basin s2.BASIN, a ReductStore bucket "
            + "reductstore.BUCKET); default: the default namespace, shared by Greengrass, Kinesis and OCI clients.";

    private static String inNamespace(String namespace) {
        return namespace == null ? "" : " in namespace \"" + namespace + "\"";
    }

    static Map<String, Object> summary(StreamDescription s) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("definition", definitionMap(s.definition()));
        map.put("oldestSequenceNumber", s.oldestSequenceNumber());
        map.put("newestSequenceNumber", s.newestSequenceNumber());
        map.put("totalBytes", s.totalSize().bytes());
        List<Map<String, Object>> exports = new ArrayList<>();
        for (ExportStatus e : s.exportStatuses()) {
            Map<String, Object> export = new LinkedHashMap<>();
            export.put("exportConfigIdentifier", e.exportIdentifier());
            export.put("lastExportedSequenceNumber", e.lastExportedSequenceNumber());
            e.lastExportTime().ifPresent(t -> export.put("lastExportTime", t.toEpochMilli()));
            e.errorMessage().ifPresent(m -> export.put("errorMessage", m));
            export.put("exportedBytesFromStream", e.exportedBytes());
            export.put("exportedMessagesCount", e.exportedMessages());
            exports.add(export);
        }
        map.put("exportStatuses", exports);
        return map;
    }

    static Map<String, Object> definitionMap(StreamDefinition d) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", d.name().value());
        map.put("maxSize", d.maxSize().bytes());
        map.put("streamSegmentSize", d.segmentSize().bytes());
        d.timeToLive().ifPresent(ttl -> map.put("timeToLiveMillis", ttl.toMillis()));
        map.put("strategyOnFull", ProtocolCodes.name(d.strategyOnFull()));
        map.put("persistence", ProtocolCodes.name(d.persistence()));
        map.put("flushOnWrite", d.flushOnWrite());
        if (!d.exports().isEmpty()) {
            map.put("exports", d.exports().stream().map(e -> e.kind().wireKey() + ":" + e.identifier()).toList());
        }
        return map;
    }

    private StreamsCommand() {
    }
}
