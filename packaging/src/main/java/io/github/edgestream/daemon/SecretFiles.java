package io.github.edgestream.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small secret files the daemon makes for itself on first start (the auth token, the HTTP APIs' signing key), made
 * durably: written to a temporary file of mode 0600, synced, renamed into place, and the directory synced, so that a
 * power cut leaves either no file or the whole file. A file found empty or damaged (as one written by an older
 * version can be after a power cut) is replaced by a new one, with a warning: nothing could have used its content.
 */
public final class SecretFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);

    private SecretFiles() {
    }

    /**
     * The file's content if {@code valid} accepts it, else a new one made from {@code randomBytes} random bytes by
     * {@code encode} and stored.
     *
     * @param what names the file in messages ("auth token file")
     * @throws UncheckedIOException if the file can neither be read nor made
     */
    public static byte[] readOrCreate(Path file, String what, int randomBytes, Function<byte[], byte[]> encode,
            Predicate<byte[]> valid) {
        try {
            if (Files.exists(file)) {
                byte[] content = Files.readAllBytes(file);
                if (valid.test(content)) {
                    return content;
                }
                LOG.warn("the {} {} is empty or damaged (as after a power cut before it was synced); making a new"
                        + " one", what, file);
            }
            byte[] random = new byte[randomBytes];
            new SecureRandom().nextBytes(random);
            byte[] content = encode.apply(random);
            write(file, content);
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the " + what + " " + file + ": " + e, e);
        }
    }

    private static void write(Path file, byte[] content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync directory {}: {}", directory, e.toString());
        }
    }
}
