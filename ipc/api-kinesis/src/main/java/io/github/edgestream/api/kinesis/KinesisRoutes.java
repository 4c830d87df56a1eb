package io.github.edgestream.api.kinesis;

import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Body;
import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Format;
import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.AuthScheme;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kinesis Data Streams API on the local HTTP port: {@code POST /} with
 * {@code X-Amz-Target: Kinesis_20131202.<Operation>}, SigV4-signed for service {@code kinesis}. Routes each
 * operation to its handler, and every failure to a Kinesis error ({@link KinesisErrorTable}).
 *
 * <p>Operations without a local meaning are answered with a clear {@code UnsupportedOperationException}: enhanced
 * fan-out (SubscribeToShard and stream consumers), resharding (the shard count is fixed at creation), encryption
 * and enhanced monitoring settings, resource policies.
 */
final class KinesisRoutes implements HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisRoutes.class);

    static final String TARGET_PREFIX = "Kinesis_20131202.";

    static final Set<String> UNSUPPORTED = Set.of("SubscribeToShard", "RegisterStreamConsumer",
            "DeregisterStreamConsumer", "DescribeStreamConsumer", "ListStreamConsumers", "MergeShards", "SplitShard",
            "UpdateShardCount", "UpdateStreamMode", "StartStreamEncryption", "StopStreamEncryption",
            "EnableEnhancedMonitoring", "DisableEnhancedMonitoring", "PutResourcePolicy", "GetResourcePolicy",
            "DeleteResourcePolicy", "TagResource", "UntagResource", "ListTagsForResource",
            "DescribeAccountSettings", "UpdateAccountSettings", "UpdateMaxRecordSize", "UpdateStreamWarmThroughput");

    private final KinesisRequestDecoder decoder = new KinesisRequestDecoder();
    private final Map<String, BiFunction<Body, HttpCall, CompletionStage<HttpReply>>> operations;

    KinesisRoutes(StreamOperations streams, RecordOperations records) {
        this.operations = Map.ofEntries(
                Map.entry("CreateStream", streams::createStream),
                Map.entry("DeleteStream", streams::deleteStream),
                Map.entry("DescribeStream", streams::describeStream),
                Map.entry("DescribeStreamSummary", streams::describeStreamSummary),
                Map.entry("ListStreams", streams::listStreams),
                Map.entry("ListShards", streams::listShards),
                Map.entry("DescribeLimits", streams::describeLimits),
                Map.entry("AddTagsToStream", streams::addTags),
                Map.entry("RemoveTagsFromStream", streams::removeTags),
                Map.entry("ListTagsForStream", streams::listTags),
                Map.entry("IncreaseStreamRetentionPeriod", (body, call) -> streams.changeRetention(body, call, true)),
                Map.entry("DecreaseStreamRetentionPeriod", (body, call) -> streams.changeRetention(body, call, false)),
                Map.entry("PutRecord", records::putRecord),
                Map.entry("PutRecords", records::putRecords),
                Map.entry("GetShardIterator", records::getShardIterator),
                Map.entry("GetRecords", records::getRecords));
    }

    @Override
    public String name() {
        return "kinesis";
    }

    @Override
    public boolean matches(HttpRequest head) {
        String target = head.headers().get("x-amz-target");
        return target != null && target.startsWith(TARGET_PREFIX);
    }

    @Override
    public AuthScheme authScheme() {
        return AuthScheme.sigV4("kinesis");
    }

    @Override
    public CompletionStage<HttpReply> handle(HttpCall call) {
        Format format = Format.JSON;
        try {
            format = KinesisRequestDecoder.format(call);
            String operation = call.headers().get("x-amz-target").substring(TARGET_PREFIX.length());
            var handler = operations.get(operation);
            call.operation(handler != null || UNSUPPORTED.contains(operation) ? operation : "unknown");
            if (!call.method().equals(HttpMethod.POST) || !call.path().equals("/")) {
                throw new KinesisException(KinesisErrorTable.UNKNOWN_OPERATION, 404, "Kinesis operations are POST /"
                        + " with X-Amz-Target; this was " + call.method() + " " + call.path());
            }
            if (handler == null) {
                throw unknown(operation);
            }
            Body body = operation.equals("PutRecords") ? decoder.decodePutRecords(call, format)
                    : decoder.decode(call, format);
            Format answerIn = format;
            return handler.apply(body, call).exceptionally(failure -> error(answerIn, failure, call));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(format, e, call));
        }
    }

    private static KinesisException unknown(String operation) {
        if (UNSUPPORTED.contains(operation)) {
            String why = switch (operation) {
                case "SubscribeToShard", "RegisterStreamConsumer", "DeregisterStreamConsumer",
                        "DescribeStreamConsumer", "ListStreamConsumers" -> "enhanced fan-out (stream consumers and"
                        + " SubscribeToShard) is not available; read with GetShardIterator and GetRecords";
                case "MergeShards", "SplitShard", "UpdateShardCount", "UpdateStreamMode" -> "a stream's shard count is"
                        + " fixed when it is created; create a stream with the shards you need";
                default -> "it has no meaning on the gateway";
            };
            return new KinesisException(KinesisErrorTable.UNSUPPORTED_OPERATION, "edgestream's Kinesis API does not"
                    + " support " + operation + ": " + why + ". See the README, section \"Using the Kinesis API\".");
        }
        return new KinesisException(KinesisErrorTable.UNKNOWN_OPERATION, "Unknown operation \""
                + (operation.length() > 64 ? operation.substring(0, 64) + "..." : operation) + "\"");
    }

    private static HttpReply error(Format format, Throwable failure, HttpCall call) {
        KinesisException error = KinesisErrorTable.of(failure);
        if (error == null) {
            LOG.error("Kinesis {} failed unexpectedly", call.operation(), failure);
            error = new KinesisException(KinesisErrorTable.INTERNAL_FAILURE, 500, "internal error ("
                    + failure.getClass().getSimpleName() + "); see the daemon's log");
        }
        return KinesisResponseEncoder.error(format, error);
    }

    @Override
    public HttpReply problem(HttpProblem problem, HttpCall call) {
        Format format;
        try {
            format = KinesisRequestDecoder.format(call);
        } catch (KinesisException e) {
            format = Format.JSON;
        }
        return KinesisResponseEncoder.error(format, KinesisErrorTable.of(problem));
    }
}
