package io.github.edgestream.http;

import io.github.edgestream.core.service.StreamService;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an API is built from.
 *
 * @param service the store's commands, shared with every other protocol
 * @param clock   the daemon's clock (iterator expiry, timestamps)
 * @param options the daemon's {@code api.<name>.*} settings for this API, without the prefix, as text; the
 *                provider validates them
 * @param secret  a key of at least 32 random bytes the API may use to authenticate what it hands out (iterators,
 *                page tokens); stable for the life of the process
 * @param tokens  the Bearer tokens issued at run time (S2's access tokens, ReductStore's tokens), shared with the
 *                layer's authenticator so that a token issued through one API authenticates at once
 */
public record HttpApiContext(StreamService service, Clock clock, Map<String, String> options, byte[] secret,
        io.github.edgestream.http.auth.IssuedTokens tokens) {

    /** With an in-memory token table of its own (APIs that issue no tokens, tests). */
    public HttpApiContext(StreamService service, Clock clock, Map<String, String> options, byte[] secret) {
        this(service, clock, options, secret, io.github.edgestream.http.auth.IssuedTokens.inMemory(clock));
    }

    public HttpApiContext {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(clock, "clock");
        options = Map.copyOf(options);
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("secret has " + secret.length + " bytes but needs at least 32");
        }
        secret = secret.clone();
        Objects.requireNonNull(tokens, "tokens");
    }

    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }
}
