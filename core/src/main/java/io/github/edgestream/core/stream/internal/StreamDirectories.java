package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamDefinitionDraft;
import io.github.edgestream.core.model.StreamDefinitions;
import io.github.edgestream.core.model.StreamName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * The on-disk layout of a store and the format of stream definitions.
 *
 * <pre>
 * &lt;root&gt;/
 *     store.lock                       held (fcntl lock) while a process has the store open
 *     streams/
 *         telemetry-3f9a2c11d0e4/      one directory per stream: readable prefix + hash of the exact name
 *             stream.properties        the definition (below)
 *             segments/                file streams only: see ChronicleSegmentStorage
 *         old_stream-77aa01bc9e2f.deleting/    being deleted; removed at the next open
 * </pre>
 *
 * <p>Stream names may contain spaces, commas and dots, and differ only in case, so a directory name is a
 * lower-cased, sanitised prefix plus 12 hex digits of the SHA-256 of the exact name; the exact name lives in the
 * definition. Definition file, a {@link Properties} file using the protocol's field names and integer codes:
 *
 * <pre>
 * format=1
 * name=Sensor readings, line 1
 * maxSize=268435456
 * streamSegmentSize=16777216
 * timeToLiveMillis=3600000        (absent: no TTL)
 * strategyOnFull=0
 * persistence=0
 * flushOnWrite=false
 * </pre>
 *
 * Reading it goes through {@link StreamDefinitions#toDefinition}, the same validation as a client's request.
 */
final class StreamDirectories {

    static final String STREAMS = "streams";
    static final String DEFINITION_FILE = "stream.properties";
    static final String SEGMENTS = "segments";
    static final String DELETED_MARKER = "DELETED";
    private static final String FORMAT = "1";
    private static final int PREFIX_LENGTH = 40;

    private StreamDirectories() {
    }

    static Path directoryFor(Path streamsRoot, StreamName name) {
        StringBuilder prefix = new StringBuilder();
        for (char c : name.value().toLowerCase(Locale.ROOT).toCharArray()) {
            if (prefix.length() == PREFIX_LENGTH) {
                break;
            }
            boolean safe = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            prefix.append(safe ? c : '_');
        }
        return streamsRoot.resolve(prefix + "-" + hash(name.value()));
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static void writeDefinition(Path streamDirectory, StreamDefinition definition) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("name", definition.name().value());
        p.setProperty("maxSize", Long.toString(definition.maxSize().bytes()));
        p.setProperty("streamSegmentSize", Long.toString(definition.segmentSize().bytes()));
        definition.timeToLive().ifPresent(ttl -> p.setProperty("timeToLiveMillis", Long.toString(ttl.toMillis())));
        p.setProperty("strategyOnFull", Integer.toString(definition.strategyOnFull().code()));
        p.setProperty("persistence", Integer.toString(definition.persistence().code()));
        p.setProperty("flushOnWrite", Boolean.toString(definition.flushOnWrite()));
        AtomicFiles.writeProperties(streamDirectory.resolve(DEFINITION_FILE), p, "edgestream stream definition", true);
    }

    /**
     * @throws IOException                     if the file cannot be read
     * @throws IllegalArgumentException        if it is malformed or describes an invalid definition
     */
    static StreamDefinition readDefinition(Path streamDirectory) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(streamDirectory.resolve(DEFINITION_FILE))) {
            p.load(in);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("unknown definition format " + p.getProperty("format"));
        }
        return StreamDefinitions.toDefinition(new StreamDefinitionDraft(
                p.getProperty("name"),
                parseLong(p, "maxSize"),
                parseLong(p, "streamSegmentSize"),
                parseLong(p, "timeToLiveMillis"),
                parseInt(p, "strategyOnFull"),
                parseInt(p, "persistence"),
                p.getProperty("flushOnWrite") == null ? null : Boolean.parseBoolean(p.getProperty("flushOnWrite"))));
    }

    private static Long parseLong(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null ? null : Long.valueOf(value.trim());
    }

    private static Integer parseInt(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null ? null : Integer.valueOf(value.trim());
    }
}
