package io.github.edgestream.http;

/**
 * The entry point of an HTTP API module, found with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.github.edgestream.http.HttpApiProvider}). The daemon asks each provider for its API
 * once at start, and serves those whose {@code api.<name>.enabled} is on.
 */
public interface HttpApiProvider {

    /** The API's name: the {@code <name>} of its {@code api.<name>.*} settings, its metrics label. */
    String name();

    /**
     * The API over the daemon's store.
     *
     * @throws IllegalArgumentException naming every bad option (key, value, rule) when the options do not work
     */
    HttpApi create(HttpApiContext context);
}
