package io.github.edgestream.ipc.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Accepts the tokens it was given (the daemon's own {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}, or its token file),
 * compared in constant time against every one of them, so that the time taken says nothing about how much of a
 * guess was right. A missing token and {@code ""} are refused. Thread-safe and immutable.
 */
public final class TokenAuthenticator implements ClientAuthenticator {

    private final List<byte[]> tokens;
    private final String description;

    /**
     * @param tokens      the accepted tokens, at least one
     * @param description where they come from, for the log ("token file /var/lib/edgestream/auth-token")
     */
    public TokenAuthenticator(Set<String> tokens, String description) {
        if (tokens.isEmpty() || tokens.stream().anyMatch(token -> token == null || token.isEmpty())) {
            throw new IllegalArgumentException("client authentication needs at least one non-empty token");
        }
        this.tokens = tokens.stream().map(token -> token.getBytes(StandardCharsets.UTF_8)).toList();
        this.description = description;
    }

    @Override
    public CompletionStage<Boolean> authenticate(String token) {
        return CompletableFuture.completedFuture(isKnown(token));
    }

    private boolean isKnown(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] offered = token.getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        for (byte[] candidate : tokens) {
            known |= MessageDigest.isEqual(offered, candidate);
        }
        return known;
    }

    @Override
    public String describe() {
        return description;
    }
}
