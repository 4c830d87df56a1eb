package io.github.edgestream.api.oci;

import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpApiProvider;

/**
 * The OCI Streaming API module's entry point ({@link java.util.ServiceLoader}): its settings are the daemon's
 * {@code api.oci.*} keys ({@link OciSettings}).
 */
public final class OciApiProvider implements HttpApiProvider {

    @Override
    public String name() {
        return "oci";
    }

    @Override
    public HttpApi create(HttpApiContext context) {
        OciSettings settings = OciSettings.from(context.options());
        OciStreams streams = new OciStreams(context.service(), settings, context.clock());
        OciCursors cursors = new OciCursors(context.secret(), context.clock());
        return new OciRoutes(streams, cursors, new AdminOperations(streams, context.clock()),
                new MessageOperations(streams, cursors), new GroupOperations(streams, cursors));
    }
}
