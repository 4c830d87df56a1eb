package io.github.edgestream.api.kinesis;

import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpApiProvider;

/**
 * The Kinesis API module's entry point ({@link java.util.ServiceLoader}): its settings are the daemon's
 * {@code api.kinesis.*} keys ({@link KinesisSettings}).
 */
public final class KinesisApiProvider implements HttpApiProvider {

    @Override
    public String name() {
        return "kinesis";
    }

    @Override
    public HttpApi create(HttpApiContext context) {
        KinesisSettings settings = KinesisSettings.from(context.options());
        KinesisStreams streams = new KinesisStreams(context.service(), settings);
        ShardIterators iterators = new ShardIterators(context.secret(), context.clock());
        return new KinesisRoutes(new StreamOperations(streams), new RecordOperations(streams, iterators,
                context.clock()));
    }
}
