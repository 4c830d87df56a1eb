package io.github.edgestream.status;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StreamName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes one StatusMessage (protocol sections 7.7 and 14) as the compact JSON the SDKs' {@code deserializeJsonBytesToObj}
 * reads: camelCase keys in the SDKs' order, integer enums, no nulls.
 *
 * <pre>
 * {"eventType":0,"statusLevel":2,"status":0,
 *  "statusContext":{"s3ExportTaskDefinition":{"inputUrl":"file:/data/a.bin","bucket":"b","key":"2026/a.bin"},
 *                   "exportIdentifier":"to-s3","streamName":"uploads","sequenceNumber":7},
 *  "message":"uploaded 1024 bytes from file:/data/a.bin to s3://b/2026/a.bin (one PUT)","timestampEpochMs":1767225600000}
 * </pre>
 *
 * {@code s3ExportTaskDefinition} quotes the task as appended ({@code inputUrl}, {@code bucket}, {@code key},
 * {@code userMetadata}; other keys dropped), except that a Success carries the bucket and the final key, with its
 * {@code !{timestamp:...}} placeholders resolved. A task that is not a JSON object is left out of the context.
 *
 * <p>Thread-safe: stateless apart from a thread-safe {@link ObjectMapper}.
 */
final class StatusMessageEncoder {

    /** {@code EventType.S3Task}, the only event type of the protocol. */
    static final int EVENT_TYPE_S3_TASK = 0;

    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] encode(TaskStatus status, StreamName stream, String exportIdentifier, Message task,
            Optional<ExportResult.Note> note, String text, Instant time) {
        var out = new ByteArrayOutputStream(256 + task.payload().length);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("eventType", EVENT_TYPE_S3_TASK);
            json.writeNumberField("statusLevel", levelCode(status.level()));
            json.writeNumberField("status", status.code());
            json.writeObjectFieldStart("statusContext");
            Optional<ObjectNode> definition = taskDefinition(task, note);
            if (definition.isPresent()) {
                json.writeFieldName("s3ExportTaskDefinition");
                JSON.writeTree(json, definition.get());
            }
            json.writeStringField("exportIdentifier", exportIdentifier);
            json.writeStringField("streamName", stream.value());
            json.writeNumberField("sequenceNumber", task.sequenceNumber());
            json.writeEndObject();
            json.writeStringField("message", text);
            json.writeNumberField("timestampEpochMs", time.toEpochMilli());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a status message in memory", e);
        }
        return out.toByteArray();
    }

    /** The task as appended, in the protocol's keys, with the final bucket and key of a success. */
    static Optional<ObjectNode> taskDefinition(Message task, Optional<ExportResult.Note> note) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(task.payload());
        } catch (IOException notJson) {
            return Optional.empty();
        }
        if (parsed == null || !parsed.isObject()) {
            return Optional.empty();
        }
        ObjectNode definition = JSON.createObjectNode();
        for (String key : new String[] {"inputUrl", "bucket", "key"}) {
            JsonNode value = parsed.get(key);
            if (value != null && value.isTextual()) {
                definition.put(key, value.asText());
            }
        }
        note.ifPresent(n -> {
            String bucket = n.fields().get("bucket");
            String key = n.fields().get("key");
            if (bucket != null) {
                definition.put("bucket", bucket);
            }
            if (key != null) {
                definition.put("key", key);
            }
        });
        JsonNode metadata = parsed.get("userMetadata");
        if (metadata != null && metadata.isObject() && metadata.size() > 0) {
            definition.set("userMetadata", metadata);
        }
        return Optional.of(definition);
    }

    /** The protocol's integer for a status level (section 8: {@code StatusLevel}, ERROR 0 to TRACE 4). */
    static int levelCode(StatusLevel level) {
        return switch (level) {
            case ERROR -> 0;
            case WARN -> 1;
            case INFO -> 2;
            case DEBUG -> 3;
            case TRACE -> 4;
        };
    }
}
