package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.http.BodyCodecs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ReductStore's buckets over the store's namespaces ({@code reduct.<bucket>}) and entries over their streams: names,
 * the bucket's settings (kept as a namespace attribute, JSON), and the figures ReductStore reports for buckets and
 * entries (record counts, sizes, oldest and latest record times).
 */
final class Buckets {

    static final String PREFIX = "reduct.";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    static final String ATTRIBUTE_SETTINGS = "reduct.settings";
    static final String ATTRIBUTE_CREATED = "reduct.createdAt";
    static final long DEFAULT_MAX_BLOCK_SIZE = 64_000_000L;
    static final long DEFAULT_MAX_BLOCK_RECORDS = 1024L;
    static final List<String> QUOTA_TYPES = List.of("NONE", "FIFO", "HARD");

    final StreamService service;
    final ReductSettings settings;
    final Clock clock;

    Buckets(StreamService service, ReductSettings settings, Clock clock) {
        this.service = service;
        this.settings = settings;
        this.clock = clock;
    }

    static Namespace namespace(String bucket) {
        return Namespace.of(PREFIX + bucket);
    }

    /** The bucket a namespace holds, if it is one of ReductStore's. */
    static Optional<String> bucketOf(Namespace namespace) {
        String value = namespace.value();
        return value.startsWith(PREFIX) && NAME.matcher(value.substring(PREFIX.length())).matches()
                ? Optional.of(value.substring(PREFIX.length())) : Optional.empty();
    }

    static String bucketName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ReductException.unprocessable("Bucket name can contain only letters, digits and [-,_] symbols"
                    + " (1 to 64 of them): \"" + clip(name) + "\"");
        }
        return name;
    }

    static StreamName entryName(String name) {
        if (!ENTRY.matcher(name).matches()) {
            throw ReductException.unprocessable("Entry name can contain only letters, digits and [-,_] symbols"
                    + " (1 to 128 of them): \"" + clip(name) + "\"");
        }
        return StreamName.anyOf(name);
    }

    /** Every ReductStore bucket, sorted. */
    List<String> list() {
        return service.namespaces().stream().map(Buckets::bucketOf).flatMap(Optional::stream).sorted().toList();
    }

    /** The store's commands for a bucket's entries; 404 if there is no such bucket. */
    StreamService bucket(String bucket) {
        if (service.namespaceAttributes(namespace(bucket)).isEmpty()) {
            throw ReductException.notFound("Bucket '" + bucket + "' is not found");
        }
        return service.namespace(namespace(bucket), false);
    }

    /** The bucket's settings, every field present (defaults where never set). */
    ObjectNode settings(String bucket) {
        Map<String, String> attributes = service.namespaceAttributes(namespace(bucket)).orElseThrow(() ->
                ReductException.notFound("Bucket '" + bucket + "' is not found"));
        return completed(read(attributes.get(ATTRIBUTE_SETTINGS)));
    }

    static ObjectNode completed(ObjectNode given) {
        ObjectNode out = BodyCodecs.json().createObjectNode();
        out.put("max_block_size", given.path("max_block_size").asLong(DEFAULT_MAX_BLOCK_SIZE));
        out.put("max_block_records", given.path("max_block_records").asLong(DEFAULT_MAX_BLOCK_RECORDS));
        out.put("quota_type", given.path("quota_type").asText("NONE"));
        out.put("quota_size", given.path("quota_size").asLong(0));
        return out;
    }

    private static ObjectNode read(String json) {
        if (json == null) {
            return BodyCodecs.json().createObjectNode();
        }
        try {
            return (ObjectNode) BodyCodecs.json().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a bucket's settings attribute is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Settings from a request body, checked: {@code quota_type} NONE, FIFO or HARD; sizes non-negative integers.
     * Fields not given are left out (a PUT changes only what it names).
     */
    static ObjectNode checked(JsonNode body) {
        ObjectNode out = BodyCodecs.json().createObjectNode();
        if (body == null || body.isNull() || body.isMissingNode()) {
            return out;
        }
        if (!body.isObject()) {
            throw ReductException.unprocessable("bucket settings must be a JSON object");
        }
        for (String field : List.of("max_block_size", "max_block_records", "quota_size")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                if (!value.canConvertToLong() || value.asLong() < 0 || !(value.isIntegralNumber()
                        || value.isTextual() && value.asText().matches("\\d{1,18}"))) {
                    throw ReductException.unprocessable(field + " must be a non-negative integer, not "
                            + clip(value.toString()));
                }
                out.put(field, value.asLong());
            }
        }
        JsonNode quota = body.get("quota_type");
        if (quota != null && !quota.isNull()) {
            if (!quota.isTextual() || !QUOTA_TYPES.contains(quota.asText())) {
                throw ReductException.unprocessable("quota_type must be one of " + QUOTA_TYPES + ", not "
                        + clip(quota.toString()));
            }
            out.put("quota_type", quota.asText());
        }
        return out;
    }

    /**
     * The definition of a new entry of {@code bucket}: the API's settings, with the bucket's {@code max_block_size},
     * where it set one, as the segment size (a block is what a FIFO quota deletes at a time).
     */
    io.github.edgestream.core.model.StreamDefinition definition(String bucket, StreamName name) {
        io.github.edgestream.core.model.StreamDefinition definition = settings.definition(name);
        Map<String, String> attributes = service.namespaceAttributes(namespace(bucket)).orElse(Map.of());
        JsonNode block = read(attributes.get(ATTRIBUTE_SETTINGS)).get("max_block_size");
        if (block == null || !block.canConvertToLong()) {
            return definition;
        }
        long size = Math.max(io.github.edgestream.core.model.StreamDefinition.MIN_SEGMENT_SIZE.bytes(),
                Math.min(block.asLong(), io.github.edgestream.core.model.StreamDefinition.MAX_SEGMENT_SIZE.bytes()));
        return definition.toBuilder().segmentSize(io.github.edgestream.core.model.DataSize.ofBytes(size))
                .maxSize(io.github.edgestream.core.model.DataSize.ofBytes(Math.max(size,
                        definition.maxSize().bytes()))).build();
    }

    /** What ReductStore reports of an entry. */
    record EntryFigures(String name, long blockCount, long recordCount, long size, long oldest, long latest) {
    }

    /** An entry's figures: one read of its oldest record (for its time), nothing else. */
    static EntryFigures figures(MessageStream stream) {
        StreamInfo info = stream.info();
        long count = info.newestSequenceNumber() < info.oldestSequenceNumber() ? 0
                : info.newestSequenceNumber() - info.oldestSequenceNumber() + 1;
        long oldest = 0;
        long latest = 0;
        if (count > 0) {
            latest = stream.newestTimestampMicros();
            List<Message> first = stream.read(ReadRequest.upTo(info.oldestSequenceNumber(), 1)).toCompletableFuture()
                    .getNow(List.of());
            oldest = first.isEmpty() ? latest : first.get(0).timestampMicros();
        }
        return new EntryFigures(stream.name().value(), info.segmentCount(), count, info.totalSize().bytes(), oldest,
                latest);
    }

    /** Every entry of a bucket with its figures, by name. */
    List<EntryFigures> entries(String bucket) {
        StreamService entries = bucket(bucket);
        List<EntryFigures> out = new ArrayList<>();
        for (StreamName name : entries.list().toCompletableFuture().join()) {
            if (RecordEdits.isCompanion(name.value())) {
                continue; // an entry's edits, not an entry
            }
            try {
                out.add(figures(entries.partitions(name).toCompletableFuture().join().get(0)));
            } catch (RuntimeException gone) {
                // deleted meanwhile
            }
        }
        return out;
    }

    static String clip(String text) {
        String safe = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return safe.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
