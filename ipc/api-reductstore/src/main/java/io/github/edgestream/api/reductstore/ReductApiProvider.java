package io.github.edgestream.api.reductstore;

import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpApiProvider;

/**
 * The ReductStore API module's entry point: its settings are the daemon's {@code api.reductstore.*} keys
 * ({@link ReductSettings}). Not yet listed for {@link java.util.ServiceLoader}: the API is incomplete (issue 15), so
 * the daemon does not serve it; its tests build it through this class.
 */
public final class ReductApiProvider implements HttpApiProvider {

    @Override
    public String name() {
        return "reductstore";
    }

    @Override
    public HttpApi create(HttpApiContext context) {
        ReductSettings settings = ReductSettings.from(context.options());
        Buckets buckets = new Buckets(context.service(), settings, context.clock());
        return new ReductRoutes(new BucketOperations(buckets), new RecordOperations(buckets),
                new QueryOperations(buckets, new Queries(context.clock())));
    }
}
