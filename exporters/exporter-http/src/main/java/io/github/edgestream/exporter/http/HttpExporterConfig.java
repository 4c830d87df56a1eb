package io.github.edgestream.exporter.http;

import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportKind;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What one HTTP export uses, derived from the stream's {@link ExportConfig.Http} and the daemon's
 * {@link DestinationSettings} for the {@code http} kind:
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>field</th><th>from</th><th>default</th></tr>
 *   <tr><td>{@code uri}</td><td>the export's {@code uri}</td><td>required; absolute {@code http} or
 *       {@code https} URL with a host</td></tr>
 *   <tr><td>{@code format}</td><td>the export's {@code exportFormat}</td><td>{@link ExportFormat#RAW_NOT_BATCHED}
 *       (what the protocol's enum lists first, code 0)</td></tr>
 *   <tr><td>{@code callTimeout}</td><td>the destination's {@code callTimeout}</td><td>the daemon's (30 s)</td></tr>
 *   <tr><td>{@code limits}</td><td>constants below</td><td>500 messages, 10 MiB per message, 16 MiB per batch</td></tr>
 * </table>
 *
 * <p>The destination's {@code endpoint} and {@code region} do not apply: the address is the export's {@code uri}.
 *
 * <p>The byte limits bound payload bytes. A JSON batch grows by base64 (4/3) plus about 100 bytes of keys and the
 * stream name per message, so its body stays under 22 MiB; a raw message is its own body, at most 10 MiB.
 *
 * <p>Immutable and thread-safe.
 *
 * @param uri         where every POST goes
 * @param format      one POST per message, or one JSON POST per batch
 * @param callTimeout how long one POST (connect, send, answer) may take before it counts as failed
 * @param limits      what the runtime may put in one batch
 */
public record HttpExporterConfig(URI uri, ExportFormat format, Duration callTimeout, BatchLimits limits) {

    /** The format when the export names none. */
    public static final ExportFormat DEFAULT_FORMAT = ExportFormat.RAW_NOT_BATCHED;
    public static final int MAX_MESSAGES = ExportKind.HTTP.maxBatchSize();
    public static final long MAX_MESSAGE_BYTES = 10L * 1024 * 1024;
    public static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;
    public static final BatchLimits LIMITS = new BatchLimits(MAX_MESSAGES, MAX_MESSAGE_BYTES, MAX_BATCH_BYTES);

    /** @throws IllegalArgumentException if {@code uri} is not an absolute http(s) URL with a host */
    public HttpExporterConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(limits, "limits");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("the HTTP export's uri is \"" + redact(uri)
                    + "\" but must be an absolute http:// or https:// URL with a host");
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout is " + callTimeout + " but must be positive");
        }
    }

    /** The effective settings of {@code config} under {@code destination}. */
    public static HttpExporterConfig from(ExportConfig.Http config, DestinationSettings destination) {
        return new HttpExporterConfig(config.uri(), config.exportFormat().orElse(DEFAULT_FORMAT),
                destination.callTimeout(), LIMITS);
    }

    /** The URI as reasons and logs show it: without user info and query, which may hold secrets. */
    public String uriForPeople() {
        return redact(uri);
    }

    private static String redact(URI uri) {
        if (uri.getHost() == null) {
            return uri.getScheme() == null ? "(relative) " + uri.getRawPath() : uri.getScheme() + ":…";
        }
        var text = new StringBuilder().append(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            text.append(':').append(uri.getPort());
        }
        text.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            text.append("?…");
        }
        return text.toString();
    }
}
