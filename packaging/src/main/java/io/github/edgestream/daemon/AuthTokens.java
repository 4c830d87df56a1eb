package io.github.edgestream.daemon;

import io.github.edgestream.ipc.server.ClientAuthenticator;
import io.github.edgestream.ipc.server.TokenAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The token clients must present when client authentication is on. Like Greengrass, the daemon accepts its own
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; without one it uses a token file, created with 32 random bytes and mode
 * 0600 on first start, so that only processes allowed to read that file (the daemon's user, root) can connect.
 * Local programs get the token into their own {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}, which the SDKs send.
 */
public final class AuthTokens {

    public static final String ENVIRONMENT_VARIABLE = "AWS_CONTAINER_AUTHORIZATION_TOKEN";

    private AuthTokens() {
    }

    /** Accepts the environment's token, else the file's (created if missing). */
    public static ClientAuthenticator authenticator(Map<String, String> environment, Path tokenFile) {
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        return new TokenAuthenticator(resolve(environment, tokenFile),
                fromEnvironment != null && !fromEnvironment.isBlank() ? "token from " + ENVIRONMENT_VARIABLE
                        : "token from " + tokenFile);
    }

    /** The accepted tokens: the environment's, else the file's (created if missing). */
    public static Set<String> resolve(Map<String, String> environment, Path tokenFile) {
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Set.of(fromEnvironment);
        }
        return Set.of(readOrCreate(tokenFile));
    }

    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                            "rw-------")));
                    Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new IllegalStateException("the auth token file " + file + " is empty; delete it to get a new"
                        + " token, or set " + ENVIRONMENT_VARIABLE);
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the auth token file " + file + ": " + e, e);
        }
    }
}
