package io.github.edgestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.wire.DefinitionDrafts;
import io.github.edgestream.ipc.wire.ProtocolCodes;
import io.github.edgestream.ipc.wire.DecodedRequest;
import io.github.edgestream.ipc.wire.MalformedRequestException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.RequestDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * A stream definition from flags or from a JSON/YAML file. The file uses the protocol's field names
 * ({@code MessageStreamDefinition}: maxSize, streamSegmentSize, timeToLiveMillis, strategyOnFull, persistence,
 * flushOnWrite, exportDefinition with kinesis, http, ...); enum fields take the SDK's names or numbers. The file is
 * checked by exactly the code that checks a client's CreateMessageStream, so it fails the same way, field by field.
 */
final class DefinitionInput {

    @Option(names = "--file", paramLabel = "FILE",
            description = "Definition as JSON or YAML, with the protocol's field names.")
    Path file;

    @Option(names = "--exports", paramLabel = "FILE",
            description = "Replace the stream's exports with those of FILE (JSON or YAML: an exportDefinition map "
                    + "with the protocol's field names, kinesis, http, ..., or a map holding one), keeping the rest "
                    + "of the definition; an empty map removes them all.")
    Path exportsFile;

    @Option(names = "--max-size", paramLabel = "SIZE",
            description = "Most the stream stores, e.g. 256MiB (default 256MiB).",
            converter = Parsers.SizeConverter.class)
    DataSize maxSize;

    @Option(names = "--segment-size", paramLabel = "SIZE",
            description = "Unit of deletion, e.g. 16MiB (default 16MiB).",
            converter = Parsers.SizeConverter.class)
    DataSize segmentSize;

    @Option(names = "--ttl", paramLabel = "DURATION",
            description = "Messages older than this may be deleted, e.g. 7d (default: none).",
            converter = Parsers.DurationConverter.class)
    Duration ttl;

    @Option(names = "--persistence", paramLabel = "file|memory", description = "file (default) or memory.")
    String persistence;

    @Option(names = "--flush-on-write", arity = "0..1", fallbackValue = "true",
            description = "Acknowledge appends only once on disk.")
    Boolean flushOnWrite;

    /** The values of --strategy, as its help and errors list them. */
    static final String STRATEGIES = "reject (RejectNewData: refuse new messages) or overwrite"
            + " (OverwriteOldestData: delete the oldest messages to make room)";

    private static final Map<String, Map<String, Integer>> ENUMS = Map.of(
            "--strategy", Map.of("rejectnewdata", 0, "reject", 0, "overwriteoldestdata", 1, "overwrite", 1),
            "--persistence", Map.of("file", 0, "memory", 1));

    private static final Map<String, String> CHOICES = Map.of(
            "--strategy", "reject (RejectNewData) or overwrite (OverwriteOldestData)",
            "--persistence", "file or memory");

    /** Enum fields of the definition file that may be written by name, and their names' codes. */
    private static final Map<String, Map<String, Integer>> NAMED_FIELDS = Map.of(
            "strategyOnFull", Map.of("rejectnewdata", 0, "overwriteoldestdata", 1),
            "persistence", Map.of("file", 0, "memory", 1),
            "exportFormat", Map.of("raw_not_batched", 0, "json_batched", 1),
            "statusLevel", Map.of("error", 0, "warn", 1, "info", 2, "debug", 3, "trace", 4));

    /**
     * The definition for {@code name}: the file's, or {@code base} (or defaults) with the flags applied.
     *
     * @param strategy the command's --strategy, required when there is neither a file nor a base
     */
    StreamDefinition definition(String name, StreamDefinition base, String strategy) {
        if (file != null) {
            if (exportsFile != null) {
                throw new ClientCommand.UsageException("--exports and --file cannot go together: --file replaces the"
                        + " whole definition, exports included");
            }
            return fromFile(name);
        }
        StreamDefinition.Builder builder;
        if (base != null) {
            builder = base.toBuilder();
        } else {
            if (strategy == null) {
                throw new ClientCommand.UsageException("missing --strategy, required to create a stream: "
                        + "--strategy " + STRATEGIES + "; or give --file with a whole definition");
            }
            builder = StreamDefinition.builder(name, strategy(strategy));
        }
        if (strategy != null) {
            builder = builder.strategyOnFull(strategy(strategy));
        }
        if (maxSize != null) {
            builder.maxSize(maxSize);
        }
        if (segmentSize != null) {
            builder.segmentSize(segmentSize);
        }
        if (ttl != null) {
            builder.timeToLive(ttl.isZero() ? null : ttl);
        }
        if (persistence != null) {
            builder.persistence(code(persistence, "--persistence") == 1 ? Persistence.MEMORY : Persistence.FILE);
        }
        if (flushOnWrite != null) {
            builder.flushOnWrite(flushOnWrite);
        }
        if (exportsFile != null) {
            builder.exports(exportsFromFile(name, base));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ClientCommand.UsageException(e.getMessage());
        }
    }

    private static StrategyOnFull strategy(String strategy) {
        return ProtocolCodes.strategyOnFull(code(strategy, "--strategy"));
    }

    private static int code(String value, String option) {
        Integer code = ENUMS.get(option).get(value.toLowerCase(java.util.Locale.ROOT));
        if (code == null) {
            throw new ClientCommand.UsageException(option + " is \"" + value + "\" but must be "
                    + CHOICES.get(option));
        }
        return code;
    }

    private StreamDefinition fromFile(String name) {
        ObjectNode definition = readMap(file, "definition fields");
        if (name != null) {
            definition.put("name", name);
        }
        return decode(file, definition);
    }

    /**
     * The exports of --exports FILE, checked as a client's definition is: the file's exportDefinition (or the file
     * itself) in a definition of {@code name} otherwise like {@code base}'s.
     */
    private List<io.github.edgestream.core.model.ExportConfig> exportsFromFile(String name, StreamDefinition base) {
        ObjectNode content = readMap(exportsFile, "export fields (an exportDefinition)");
        JsonNode exports = content.has("exportDefinition") ? content.get("exportDefinition") : content;
        ObjectNode definition = new ObjectMapper().createObjectNode();
        // only the exports are taken from this decoding: a name the protocol's rule refuses (an S2 stream's
        // "line-1/events", in a namespace) stands in as a portable one
        definition.put("name", io.github.edgestream.core.model.StreamName.check("name", name).isEmpty() ? name
                : "namespaced-stream");
        definition.put("strategyOnFull", ProtocolCodes.code(base == null ? StrategyOnFull.REJECT_NEW_DATA
                : base.strategyOnFull()));
        definition.set("exportDefinition", exports);
        return decode(exportsFile, definition).exports();
    }

    private static ObjectNode readMap(Path path, String what) {
        ObjectMapper reader = path.toString().endsWith(".json") ? new ObjectMapper() : new YAMLMapper();
        JsonNode content;
        try {
            content = reader.readTree(path.toFile());
        } catch (IOException e) {
            throw new ClientCommand.UsageException("cannot read " + path + ": " + e.getMessage());
        }
        if (!(content instanceof ObjectNode map)) {
            throw new ClientCommand.UsageException(path + " must hold one map of " + what);
        }
        return map;
    }

    private static StreamDefinition decode(Path file, ObjectNode definition) {
        replaceEnumNames(definition);
        ObjectNode request = new ObjectMapper().createObjectNode();
        request.put("requestId", "cli");
        request.set("definition", definition);
        try {
            DecodedRequest decoded = RequestDecoder.decode(Operation.CREATE_MESSAGE_STREAM,
                    new CBORMapper().writeValueAsBytes(request));
            if (!decoded.isValid()) {
                throw new ClientCommand.UsageException(file + ": " + decoded.problemMessage());
            }
            return DefinitionDrafts.toDefinition(((Request.CreateMessageStream) decoded.request()).definition());
        } catch (IOException | MalformedRequestException e) {
            throw new ClientCommand.UsageException(file + ": " + e.getMessage());
        }
    }

    /** {@code strategyOnFull: OverwriteOldestData} and the like become their protocol numbers. */
    private static void replaceEnumNames(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (var entry : (Iterable<Map.Entry<String, JsonNode>>) object::fields) {
                JsonNode value = entry.getValue();
                Map<String, Integer> names = NAMED_FIELDS.get(entry.getKey());
                Integer code = names == null || !value.isTextual() ? null
                        : names.get(value.asText().toLowerCase(java.util.Locale.ROOT));
                if (code != null) {
                    object.put(entry.getKey(), code);
                } else {
                    replaceEnumNames(value);
                }
            }
        } else if (node.isArray()) {
            node.forEach(DefinitionInput::replaceEnumNames);
        }
    }
}
