package io.github.edgestream.api.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpReply;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Writes OCI answers: JSON bodies streamed with Jackson's generator, times as RFC 3339 with milliseconds
 * ({@code 2026-12-05T10:00:00.000Z}, as OCI writes them), errors as {@code {"code","message"}}.
 */
final class OciResponseEncoder {

    static final String JSON = "application/json";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private OciResponseEncoder() {
    }

    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    static HttpReply json(int status, Writer writer) {
        return HttpReply.written(status, JSON, stream -> {
            try (JsonGenerator out = BodyCodecs.jsonFactory().createGenerator(stream)) {
                writer.write(out);
            }
        });
    }

    static HttpReply error(OciException error) {
        return HttpReply.of(error.status(), JSON, error.json());
    }

    static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The text of one second, {@code 2026-12-05T10:00:00.}: the last one made is kept (records come in time order). */
    private record Second(long epochSecond, String prefix) {
    }

    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    /** As {@link #time}, for epoch microseconds: the second's text cached, then the milliseconds. */
    static String timeMicros(long micros) {
        long second = Math.floorDiv(micros, 1_000_000L);
        int millis = (int) (Math.floorMod(micros, 1_000_000L) / 1000);
        Second cached = lastSecond;
        if (cached.epochSecond() != second) {
            String full = time(Instant.ofEpochSecond(second));
            cached = new Second(second, full.substring(0, full.length() - 4));
            lastSecond = cached;
        }
        return cached.prefix() + (char) ('0' + millis / 100) + (char) ('0' + millis / 10 % 10)
                + (char) ('0' + millis % 10) + 'Z';
    }

    static void stringMap(JsonGenerator out, String field, Map<String, String> map) throws IOException {
        out.writeObjectFieldStart(field);
        for (Map.Entry<String, String> entry : map.entrySet()) {
            out.writeStringField(entry.getKey(), entry.getValue());
        }
        out.writeEndObject();
    }
}
