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
 */
public record HttpApiContext(StreamService service, Clock clock, Map<String, String> options, byte[] secret) {

    public HttpApiContext {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(clock, "clock");
        options = Map.copyOf(options);
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("secret has " + secret.length + " bytes but needs at least 32");
        }
        secret = secret.clone();
    }

    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }
}
