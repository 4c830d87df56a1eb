package io.github.edgestream.api.reductstore;

import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpApiProvider;

/**
 * The ReductStore API module's entry point ({@link java.util.ServiceLoader}): its settings are the daemon's
 * {@code api.reductstore.*} keys ({@link ReductSettings}).
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
        RecordEdits edits = new RecordEdits(buckets);
        return new ReductRoutes(new BucketOperations(buckets, edits), new RecordOperations(buckets, edits),
                new QueryOperations(buckets, new Queries(context.clock()), edits),
                new TokenOperations(context.tokens(), context.clock()));
    }
}
