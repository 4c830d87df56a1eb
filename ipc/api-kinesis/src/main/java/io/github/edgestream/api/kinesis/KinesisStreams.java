package io.github.edgestream.api.kinesis;

import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Body;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.PartitionRouter;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.auth.Permission;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every operation needs to address a stream the Kinesis way: the name from {@code StreamName} or
 * {@code StreamARN}, the caller's permission on it, shard ids and hash-key ranges, and the Kinesis view of an
 * edgestream definition (mode, retention, creation time). Streams live in the default namespace, shared with the
 * Greengrass API: a Greengrass stream is a one-shard Kinesis stream.
 */
final class KinesisStreams {

    /** Stream names as Kinesis allows them at creation. */
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    static final int MAX_NAME_LENGTH = 128;
    private static final Pattern ARN = Pattern.compile("arn:[a-z-]+:kinesis:[a-z0-9-]*:\\d*:stream/(.+)");
    private static final Pattern SHARD_ID = Pattern.compile("(?:shardId-)?(\\d{1,12})");
    /** Tags edgestream keeps for itself ({@code aws:} keys cannot be set by clients, as on AWS). */
    static final String MODE_TAG = "aws:kinesis:streamMode";
    static final String ON_DEMAND = "ON_DEMAND";
    static final String PROVISIONED = "PROVISIONED";

    final StreamService service;
    final KinesisSettings settings;

    KinesisStreams(StreamService service, KinesisSettings settings) {
        this.service = service;
        this.settings = settings;
    }

    /**
     * The stream a request addresses, checked against the caller's scope.
     *
     * @throws KinesisException if neither or two different streams are named, or the name is malformed
     * @throws io.github.edgestream.http.auth.AccessDeniedException if the caller may not
     */
    StreamName resolve(Body body, HttpCall call, Permission permission) {
        StreamName name = name(body);
        call.principal().check(permission, Namespace.DEFAULT, name.value());
        return name;
    }

    StreamName name(Body body) {
        Optional<String> name = body.optString("StreamName");
        Optional<String> arn = body.optString("StreamARN");
        if (name.isEmpty() && arn.isEmpty()) {
            throw KinesisException.invalid("StreamName or StreamARN must be provided");
        }
        String fromArn = arn.map(KinesisStreams::nameOfArn).orElse(null);
        if (name.isPresent() && fromArn != null && !name.get().equals(fromArn)) {
            throw KinesisException.invalid("StreamName \"" + name.get() + "\" and StreamARN \"" + arn.get()
                    + "\" name different streams");
        }
        String value = name.orElse(fromArn);
        body.length(name.isPresent() ? "StreamName" : "StreamARN", value, 1, StreamName.MAX_LENGTH);
        if (StreamName.check("StreamName", value).isPresent()) {
            throw KinesisException.validation("StreamName", value, "Member must satisfy regular expression pattern: "
                    + NAME.pattern());
        }
        return StreamName.of(value);
    }

    private static String nameOfArn(String arn) {
        Matcher matcher = ARN.matcher(arn);
        if (arn.length() > 2048 || !matcher.matches()) {
            throw KinesisException.validation("StreamARN", arn, "Member must satisfy regular expression pattern:"
                    + " arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
        }
        return matcher.group(1);
    }

    static String shardId(int shard) {
        return String.format("shardId-%012d", shard);
    }

    /**
     * @throws KinesisException ResourceNotFoundException if the stream has no such shard
     */
    int shardIndex(String field, String shardId, StreamName stream, int shards) {
        Matcher matcher = SHARD_ID.matcher(shardId);
        long index = matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
        if (index < 0 || index >= shards) {
            throw KinesisException.notFound("Shard " + shardId + " in stream " + stream.value() + " under account "
                    + settings.accountId() + " does not exist (" + field + "; the stream has " + shards + " shard"
                    + (shards == 1 ? "" : "s") + ")");
        }
        return (int) index;
    }

    static String mode(StreamDefinition definition) {
        return ON_DEMAND.equals(definition.tags().get(MODE_TAG)) ? ON_DEMAND : PROVISIONED;
    }

    /** The stream's time to live in whole hours; a stream without one keeps data for the longest Kinesis allows. */
    static int retentionHours(StreamDefinition definition) {
        return definition.timeToLive().map(ttl -> (int) Math.min(8760, Math.max(1,
                (ttl.toMillis() + Duration.ofHours(1).toMillis() - 1) / Duration.ofHours(1).toMillis())))
                .orElse(8760);
    }

    static long createdMillis(StreamDefinition definition) {
        return definition.createdAt().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** A stream's definition (as a whole) and its shards. */
    record Shards(StreamDefinition definition, java.util.List<io.github.edgestream.core.stream.MessageStream> logs) {
    }

    java.util.concurrent.CompletionStage<Shards> shards(StreamName name) {
        return service.describe(name).thenCombine(service.partitions(name),
                (description, logs) -> new Shards(description.info().definition(), logs));
    }

    static PartitionRouter router(StreamDefinition definition) {
        return PartitionRouter.even(definition.partitions());
    }
}
