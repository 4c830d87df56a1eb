package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpReply;
import java.io.IOException;

/**
 * ReductStore's answers: JSON bodies, {@code x-reduct-api} on every response (the clients refuse a response without
 * it and warn on every one from a version older than theirs by more than two minors), errors as status plus
 * {@code x-reduct-error}.
 */
final class ReductResponses {

    /** The API version this implements: 1.20, what reduct-js 1.20 expects without a warning. */
    static final String API_VERSION = "1.20";
    static final String JSON = "application/json";

    private ReductResponses() {
    }

    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    static HttpReply json(Writer writer) {
        return HttpReply.written(200, JSON, stream -> {
            try (JsonGenerator out = BodyCodecs.jsonFactory().createGenerator(stream)) {
                writer.write(out);
            }
        });
    }

    static HttpReply ok() {
        return HttpReply.empty(200);
    }

    static HttpReply error(ReductException error) {
        return HttpReply.empty(error.status()).header("x-reduct-error", headerSafe(error.getMessage()));
    }

    /** Every response carries the API version. */
    static HttpReply versioned(HttpReply reply) {
        return reply.header("x-reduct-api", API_VERSION);
    }

    /** A message fit for a header value: printable ASCII, at most 1,024 characters. */
    static String headerSafe(String message) {
        String text = message == null ? "" : message.replaceAll("[^\\x20-\\x7e]", "?");
        return text.length() > 1024 ? text.substring(0, 1024) + "..." : text;
    }
}
