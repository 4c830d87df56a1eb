package io.github.edgestream.api.s2;

import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpApiProvider;

/**
 * The S2 API module's entry point ({@link java.util.ServiceLoader}): its settings are the daemon's {@code api.s2.*}
 * keys ({@link S2Settings}).
 */
public final class S2ApiProvider implements HttpApiProvider {

    @Override
    public String name() {
        return "s2";
    }

    @Override
    public HttpApi create(HttpApiContext context) {
        return new S2Routes(S2Settings.from(context.options()), context);
    }
}
