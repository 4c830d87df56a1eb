package io.github.edgestream.api.s2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.http.BodyCodecs;
import java.io.IOException;
import java.util.Optional;

/**
 * An S2 basin's configuration: whether streams are created on first append or read, and the defaults of the
 * streams created in it. Kept as the basin namespace's attribute {@code config} (JSON).
 */
record BasinConfig(boolean createStreamOnAppend, boolean createStreamOnRead, StreamConfig defaultStreamConfig) {

    static final BasinConfig DEFAULT = new BasinConfig(false, false, StreamConfig.EMPTY);

    /** A configuration from a create request ({@code null}: the default). */
    static BasinConfig parse(JsonNode node, String path) {
        return DEFAULT.reconfigured(node, path);
    }

    /** This configuration with the fields a request gives replaced (missing or null: kept). */
    BasinConfig reconfigured(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return this;
        }
        if (!node.isObject()) {
            throw S2Exception.badJson(path + " is " + S2RequestDecoder.describe(node) + " but must be an object");
        }
        JsonNode cipher = node.get("stream_cipher");
        if (cipher != null && !cipher.isNull()) {
            throw S2Exception.invalid(path + ".stream_cipher is " + S2RequestDecoder.describe(cipher)
                    + " but edgestream does not encrypt streams itself (the gateway's disk encryption applies);"
                    + " leave it out");
        }
        return new BasinConfig(bool(node, "create_stream_on_append", path, createStreamOnAppend),
                bool(node, "create_stream_on_read", path, createStreamOnRead),
                defaultStreamConfig.overlaidWith(StreamConfig.parse(node.get("default_stream_config"),
                        path + ".default_stream_config")));
    }

    private static boolean bool(JsonNode node, String field, String path, boolean current) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return current;
        }
        if (!value.isBoolean()) {
            throw S2Exception.badJson(path + "." + field + " is " + S2RequestDecoder.describe(value)
                    + " but must be true or false");
        }
        return value.asBoolean();
    }

    ObjectNode toJson() {
        ObjectNode node = BodyCodecs.json().createObjectNode();
        node.put("create_stream_on_append", createStreamOnAppend);
        node.put("create_stream_on_read", createStreamOnRead);
        node.set("default_stream_config", defaultStreamConfig.toJson());
        return node;
    }

    /** The configuration kept in a basin's attribute ({@link #DEFAULT} if absent or unreadable). */
    static BasinConfig stored(Optional<String> json) {
        if (json.isEmpty()) {
            return DEFAULT;
        }
        try {
            return parse(BodyCodecs.json().readTree(json.get()), "config");
        } catch (IOException | S2Exception e) {
            return DEFAULT;
        }
    }
}
