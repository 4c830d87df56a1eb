package io.github.edgestream.exporter.s3;

import io.github.edgestream.exporter.s3.S3TaskDefinition.InvalidTaskException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Turns a task into S3 requests: resolves the key's placeholders, checks the file, plans the parts, and builds request
 * bodies that stream from the file (each part opens the file at its offset; nothing is buffered beyond the stream's
 * own few kilobytes, whatever the size).
 *
 * <p>Key placeholders: {@code !{timestamp:PATTERN}} becomes the upload time in UTC formatted with
 * {@link DateTimeFormatter#ofPattern}; {@code logs/!{timestamp:yyyy/MM/dd}/a.csv} at 2026-11-22 gives
 * {@code logs/2026/11/22/a.csv}. Thread-safe: immutable.
 */
final class S3RequestBuilder {

    private static final Pattern PLACEHOLDER = Pattern.compile("!\\{([a-zA-Z]+):([^}]*)}");

    /** One part of a multipart upload: number from 1, offset and length in the file. */
    record Part(int number, long offset, long length) {
    }

    private final S3ExporterConfig config;
    private final Clock clock;

    S3RequestBuilder(S3ExporterConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** The key with every placeholder resolved now. */
    String resolveKey(String key) throws InvalidTaskException {
        Matcher placeholders = PLACEHOLDER.matcher(key);
        StringBuilder resolved = new StringBuilder();
        while (placeholders.find()) {
            if (!placeholders.group(1).equals("timestamp")) {
                throw new InvalidTaskException("key \"" + key + "\" has the placeholder !{" + placeholders.group(1)
                        + ":...}; the only placeholder is !{timestamp:PATTERN}");
            }
            String value;
            try {
                value = DateTimeFormatter.ofPattern(placeholders.group(2)).withZone(ZoneOffset.UTC)
                        .format(clock.instant());
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw new InvalidTaskException("key \"" + key + "\" has the timestamp pattern \""
                        + placeholders.group(2) + "\", which is not a valid DateTimeFormatter pattern: "
                        + e.getMessage());
            }
            placeholders.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        placeholders.appendTail(resolved);
        return resolved.toString();
    }

    /** The file's size, if it is a regular readable file. */
    static long checkFile(S3TaskDefinition task) throws InvalidTaskException {
        Path file = task.file();
        if (Files.isDirectory(file)) {
            throw new InvalidTaskException("inputUrl " + task.inputUrl() + " is a directory; it must name a file");
        }
        if (!Files.exists(file)) {
            throw new InvalidTaskException("inputUrl " + task.inputUrl() + ": the file does not exist"
                    + SandboxHints.ofThisProcess().whyInvisible(file.toAbsolutePath().normalize())
                            .map(why -> " for the daemon: " + why).orElse(""));
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidTaskException("inputUrl " + task.inputUrl() + ": the file cannot be read by the"
                    + " daemon's user");
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new InvalidTaskException("inputUrl " + task.inputUrl() + ": cannot read its size: " + e);
        }
    }

    boolean multipart(long size) {
        return size > config.multipartThresholdBytes();
    }

    List<Part> parts(long size) {
        long partSize = config.partSize(size);
        var parts = new ArrayList<Part>();
        for (long offset = 0; offset < size; offset += partSize) {
            parts.add(new Part(parts.size() + 1, offset, Math.min(partSize, size - offset)));
        }
        return parts;
    }

    PutObjectRequest putObject(S3TaskDefinition task, String key, long size) {
        return PutObjectRequest.builder().bucket(task.bucket()).key(key).metadata(task.userMetadata())
                .contentLength(size).build();
    }

    CreateMultipartUploadRequest createMultipartUpload(S3TaskDefinition task, String key) {
        return CreateMultipartUploadRequest.builder().bucket(task.bucket()).key(key).metadata(task.userMetadata())
                .build();
    }

    UploadPartRequest uploadPart(S3TaskDefinition task, String key, String uploadId, Part part) {
        return UploadPartRequest.builder().bucket(task.bucket()).key(key).uploadId(uploadId)
                .partNumber(part.number()).contentLength(part.length()).build();
    }

    /** A body streaming {@code length} bytes of {@code file} from {@code offset}; each read opens a fresh stream. */
    static RequestBody body(Path file, long offset, long length) {
        return RequestBody.fromContentProvider(() -> {
            try {
                InputStream in = Files.newInputStream(file);
                in.skipNBytes(offset);   // a file channel's stream skips by seeking
                return new BoundedInputStream(in, length);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file, e);
            }
        }, length, "application/octet-stream");
    }

    /** At most {@code remaining} bytes of a stream, then end of stream. Not thread-safe. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
