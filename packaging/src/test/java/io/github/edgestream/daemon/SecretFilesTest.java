package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's own secret files: made whole with mode 0600, kept, and remade when a power cut left them empty. */
class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void aTokenFileIsMadeOnceWithMode600AndKept() throws Exception {
        Path file = dir.resolve("sub").resolve("auth-token");
        String first = AuthTokens.readOrCreate(file);
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(AuthTokens.readOrCreate(file)).isEqualTo(first);
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void anEmptyFileLeftByAPowerCutIsReplacedInsteadOfStoppingTheDaemon() throws Exception {
        Path file = Files.createFile(dir.resolve("auth-token"));
        String token = AuthTokens.readOrCreate(file);
        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(Files.readString(file, StandardCharsets.UTF_8).trim()).isEqualTo(token);

        Path key = Files.write(dir.resolve("http-secret"), new byte[5]);
        byte[] secret = SecretFiles.readOrCreate(key, "HTTP signing key file", 32, random -> random,
                content -> content.length >= 32);
        assertThat(secret).hasSize(32);
        assertThat(Files.readAllBytes(key)).isEqualTo(secret);
    }
}
