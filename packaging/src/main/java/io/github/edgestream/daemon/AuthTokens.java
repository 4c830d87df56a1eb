package io.github.edgestream.daemon;

import io.github.edgestream.ipc.server.ClientAuthenticator;
import io.github.edgestream.ipc.server.TokenAuthenticator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The token clients must present when client authentication is on. Like Greengrass, the daemon accepts its own
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; without one it uses a token file, created durably ({@link SecretFiles})
 * with 32 random bytes and mode 0600 on first start, so that only processes allowed to read that file (the daemon's user, root) can connect.
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
        byte[] token = SecretFiles.readOrCreate(file, "auth token file", 32,
                random -> (HexFormat.of().formatHex(random) + "\n").getBytes(StandardCharsets.UTF_8),
                content -> !new String(content, StandardCharsets.UTF_8).isBlank());
        return new String(token, StandardCharsets.UTF_8).trim();
    }
}
