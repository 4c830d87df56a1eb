package io.github.edgestream.api.kinesis;

import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Body;
import io.github.edgestream.api.kinesis.KinesisResponseEncoder.Out;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.PartitionRouter;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * The control-plane operations: streams, shards, tags and retention. Each decodes its fields, checks the caller's
 * permission (admin to change a stream, read to look at it; a listing shows only streams the caller may read), calls
 * the store's service and encodes the answer.
 */
final class StreamOperations {

    private static final int MAX_TAGS_PER_CALL = 50;

    private final KinesisStreams streams;

    StreamOperations(KinesisStreams streams) {
        this.streams = streams;
    }

    CompletionStage<HttpReply> createStream(Body body, HttpCall call) {
        String name = body.string("StreamName", 1, KinesisStreams.MAX_NAME_LENGTH);
        if (!KinesisStreams.NAME.matcher(name).matches()) {
            throw KinesisException.validation("StreamName", name, "Member must satisfy regular expression pattern: "
                    + KinesisStreams.NAME.pattern());
        }
        call.principal().check(Permission.ADMIN, Namespace.DEFAULT, name);
        String mode = body.optObject("StreamModeDetails").map(details -> details.optString("StreamMode")
                .orElseThrow(() -> KinesisException.validation("StreamModeDetails.StreamMode", "null",
                        "Member must not be null"))).orElse(body.has("ShardCount") ? KinesisStreams.PROVISIONED
                : KinesisStreams.ON_DEMAND);
        if (!mode.equals(KinesisStreams.PROVISIONED) && !mode.equals(KinesisStreams.ON_DEMAND)) {
            throw KinesisException.validation("StreamModeDetails.StreamMode", mode, "Member must satisfy enum value"
                    + " set: [PROVISIONED, ON_DEMAND]");
        }
        Optional<Integer> count = body.optInt("ShardCount", 1, 100_000);
        int shards;
        if (mode.equals(KinesisStreams.ON_DEMAND)) {
            shards = count.orElse(streams.settings.onDemandShards());
        } else {
            shards = count.orElseThrow(() -> KinesisException.invalid("ShardCount is required for a PROVISIONED"
                    + " stream"));
        }
        if (shards > StreamDefinition.MAX_PARTITIONS) {
            throw new KinesisException(KinesisErrorTable.LIMIT_EXCEEDED, "This request would exceed the shard limit"
                    + " for the stream: ShardCount is " + shards + " but edgestream allows at most "
                    + StreamDefinition.MAX_PARTITIONS + " shards per stream");
        }
        Map<String, String> tags = new TreeMap<>(userTags(body.stringMap("Tags", MAX_TAGS_PER_CALL)));
        if (mode.equals(KinesisStreams.ON_DEMAND)) {
            tags.put(KinesisStreams.MODE_TAG, KinesisStreams.ON_DEMAND);
        }
        StreamDefinition definition = streams.settings.definition(name, shards, tags);
        return streams.service.create(definition).thenApply(info -> empty(body));
    }

    CompletionStage<HttpReply> deleteStream(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.ADMIN);
        body.optBoolean("EnforceConsumerDeletion");
        return streams.service.delete(name).thenApply(done -> empty(body));
    }

    CompletionStage<HttpReply> describeStream(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.READ);
        int limit = body.optInt("Limit", 1, 10_000).orElse(100);
        Optional<String> after = body.optString("ExclusiveStartShardId");
        return streams.service.describe(name).thenApply(description -> {
            StreamDefinition definition = description.info().definition();
            int first = after.map(id -> firstAfter(id, definition.partitions())).orElse(0);
            int end = (int) Math.min((long) first + limit, definition.partitions());
            return KinesisResponseEncoder.ok(body.format(), out -> {
                out.gen.writeFieldName("StreamDescription");
                out.gen.writeStartObject();
                summary(out, definition);
                out.gen.writeArrayFieldStart("Shards");
                PartitionRouter router = KinesisStreams.router(definition);
                for (int shard = first; shard < end; shard++) {
                    shard(out, router, shard);
                }
                out.gen.writeEndArray();
                out.gen.writeBooleanField("HasMoreShards", end < definition.partitions());
                out.gen.writeEndObject();
            });
        });
    }

    CompletionStage<HttpReply> describeStreamSummary(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.READ);
        return streams.service.describe(name).thenApply(description -> {
            StreamDefinition definition = description.info().definition();
            return KinesisResponseEncoder.ok(body.format(), out -> {
                out.gen.writeFieldName("StreamDescriptionSummary");
                out.gen.writeStartObject();
                summary(out, definition);
                out.gen.writeNumberField("OpenShardCount", definition.partitions());
                out.gen.writeNumberField("ConsumerCount", 0);
                out.gen.writeEndObject();
            });
        });
    }

    private void summary(Out out, StreamDefinition definition) throws IOException {
        String name = definition.name().value();
        out.string("StreamName", name);
        out.string("StreamARN", streams.settings.arn(name));
        out.string("StreamStatus", "ACTIVE");
        out.gen.writeObjectFieldStart("StreamModeDetails");
        out.string("StreamMode", KinesisStreams.mode(definition));
        out.gen.writeEndObject();
        out.gen.writeNumberField("RetentionPeriodHours", KinesisStreams.retentionHours(definition));
        out.timestampMillis("StreamCreationTimestamp", KinesisStreams.createdMillis(definition));
        out.gen.writeArrayFieldStart("EnhancedMonitoring");
        out.gen.writeStartObject();
        out.gen.writeArrayFieldStart("ShardLevelMetrics");
        out.gen.writeEndArray();
        out.gen.writeEndObject();
        out.gen.writeEndArray();
        out.string("EncryptionType", "NONE");
    }

    private static void shard(Out out, PartitionRouter router, int shard) throws IOException {
        out.gen.writeStartObject();
        out.string("ShardId", KinesisStreams.shardId(shard));
        out.gen.writeObjectFieldStart("HashKeyRange");
        out.string("StartingHashKey", router.startingHashKey(shard).toString());
        out.string("EndingHashKey", router.endingHashKey(shard).toString());
        out.gen.writeEndObject();
        out.gen.writeObjectFieldStart("SequenceNumberRange");
        out.string("StartingSequenceNumber", SequenceNumbers.format(shard, 0));
        out.gen.writeEndObject();
        out.gen.writeEndObject();
    }

    /** The index of the first shard after an id (shard ids beyond the last give an empty page). */
    private static int firstAfter(String shardId, int shards) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?:shardId-)?(\\d{1,12})").matcher(shardId);
        if (!matcher.matches()) {
            throw KinesisException.invalid("ExclusiveStartShardId \"" + shardId + "\" is not a shard id like"
                    + " shardId-000000000000");
        }
        return (int) Math.min(shards, Long.parseLong(matcher.group(1)) + 1);
    }

    CompletionStage<HttpReply> listStreams(Body body, HttpCall call) {
        int limit = body.optInt("Limit", 1, 10_000).orElse(100);
        Optional<String> start = body.optString("ExclusiveStartStreamName");
        Optional<String> token = body.optString("NextToken");
        if (start.isPresent() && token.isPresent()) {
            throw KinesisException.invalid("NextToken and ExclusiveStartStreamName cannot be used together");
        }
        String after = token.map(t -> Tokens.read("NextToken", "ls", t).get(0)).orElse(start.orElse(null));
        return streams.service.list().thenApply(names -> {
            List<StreamDefinition> page = new ArrayList<>();
            boolean more = false;
            for (StreamName name : names) {
                if (after != null && name.value().compareTo(after) <= 0
                        || !call.principal().allows(Permission.READ, Namespace.DEFAULT, name.value())) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                try {
                    page.add(streams.service.describe(name).toCompletableFuture().join().info().definition());
                } catch (RuntimeException deletedMeanwhile) {
                    // gone between list and describe: not listed
                }
            }
            boolean hasMore = more;
            return KinesisResponseEncoder.ok(body.format(), out -> {
                out.gen.writeArrayFieldStart("StreamNames");
                for (StreamDefinition definition : page) {
                    out.gen.writeString(definition.name().value());
                }
                out.gen.writeEndArray();
                out.gen.writeBooleanField("HasMoreStreams", hasMore);
                if (hasMore) {
                    out.string("NextToken", Tokens.write("ls", page.get(page.size() - 1).name().value()));
                }
                out.gen.writeArrayFieldStart("StreamSummaries");
                for (StreamDefinition definition : page) {
                    out.gen.writeStartObject();
                    out.string("StreamName", definition.name().value());
                    out.string("StreamARN", streams.settings.arn(definition.name().value()));
                    out.string("StreamStatus", "ACTIVE");
                    out.gen.writeObjectFieldStart("StreamModeDetails");
                    out.string("StreamMode", KinesisStreams.mode(definition));
                    out.gen.writeEndObject();
                    out.timestampMillis("StreamCreationTimestamp", KinesisStreams.createdMillis(definition));
                    out.gen.writeEndObject();
                }
                out.gen.writeEndArray();
            });
        });
    }

    /** The account's limits as the gateway has them: per-stream shard limit times streams, and what is open. */
    CompletionStage<HttpReply> describeLimits(Body body, HttpCall call) {
        if (!call.principal().allowsNamespace(Permission.READ, Namespace.DEFAULT)) {
            throw new io.github.edgestream.http.auth.AccessDeniedException("credential \"" + call.principal().name()
                    + "\" may not read the namespace default");
        }
        return streams.service.list().thenApply(names -> {
            int shards = 0;
            int onDemand = 0;
            for (StreamName name : names) {
                try {
                    StreamDefinition definition = streams.service.describe(name).toCompletableFuture().join().info()
                            .definition();
                    shards += definition.partitions();
                    onDemand += KinesisStreams.mode(definition).equals(KinesisStreams.ON_DEMAND) ? 1 : 0;
                } catch (RuntimeException deletedMeanwhile) {
                    // gone between list and describe
                }
            }
            int open = shards;
            int onDemandCount = onDemand;
            return KinesisResponseEncoder.ok(body.format(), out -> {
                out.gen.writeNumberField("ShardLimit", Math.max(open, 10_000));
                out.gen.writeNumberField("OpenShardCount", open);
                out.gen.writeNumberField("OnDemandStreamCount", onDemandCount);
                out.gen.writeNumberField("OnDemandStreamCountLimit", 10_000);
            });
        });
    }

    CompletionStage<HttpReply> listShards(Body body, HttpCall call) {
        Optional<String> token = body.optString("NextToken");
        int limit = body.optInt("MaxResults", 1, 10_000).orElse(1000);
        StreamName name;
        int first;
        if (token.isPresent()) {
            if (body.has("StreamName") || body.has("StreamARN") || body.has("ExclusiveStartShardId")
                    || body.has("ShardFilter")) {
                throw KinesisException.invalid("NextToken cannot be combined with StreamName, StreamARN,"
                        + " ExclusiveStartShardId or ShardFilter");
            }
            List<String> parts = Tokens.read("NextToken", "sh", token.get());
            if (parts.size() != 2) {
                throw KinesisException.invalid("NextToken is not one this daemon issued");
            }
            name = StreamName.of(parts.get(1));
            call.principal().check(Permission.READ, Namespace.DEFAULT, name.value());
            first = Integer.parseInt(parts.get(0));
        } else {
            name = streams.resolve(body, call, Permission.READ);
            first = 0;
        }
        Optional<String> after = body.optString("ExclusiveStartShardId");
        Optional<Body> filter = body.optObject("ShardFilter");
        return streams.service.describe(name).thenApply(description -> {
            StreamDefinition definition = description.info().definition();
            int from = first;
            if (after.isPresent()) {
                from = Math.max(from, firstAfter(after.get(), definition.partitions()));
            }
            if (filter.isPresent()) {
                from = Math.max(from, filtered(filter.get(), definition.partitions()));
            }
            int end = (int) Math.min((long) from + limit, definition.partitions());
            int start = from;
            return KinesisResponseEncoder.ok(body.format(), out -> {
                out.gen.writeArrayFieldStart("Shards");
                PartitionRouter router = KinesisStreams.router(definition);
                for (int shard = start; shard < end; shard++) {
                    shard(out, router, shard);
                }
                out.gen.writeEndArray();
                if (end < definition.partitions()) {
                    out.string("NextToken", Tokens.write("sh", Integer.toString(end), name.value()));
                }
            });
        });
    }

    /**
     * The first shard a filter lets through. Shards here are never split, merged or closed: every shard is open
     * and has existed since the stream was created, so only AFTER_SHARD_ID narrows the list.
     */
    private static int filtered(Body filter, int shards) {
        String type = filter.string("Type", 1, 32);
        return switch (type) {
            case "AFTER_SHARD_ID" -> firstAfter(filter.optString("ShardId").orElseThrow(() ->
                    KinesisException.invalid("ShardFilter.ShardId is required with AFTER_SHARD_ID")), shards);
            case "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST" -> 0;
            case "AT_TIMESTAMP", "FROM_TIMESTAMP" -> {
                if (filter.optTimestampMicros("Timestamp").isEmpty()) {
                    throw KinesisException.invalid("ShardFilter.Timestamp is required with " + type);
                }
                yield 0;
            }
            default -> throw KinesisException.validation("ShardFilter.Type", type, "Member must satisfy enum value"
                    + " set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP,"
                    + " FROM_TIMESTAMP]");
        };
    }

    CompletionStage<HttpReply> addTags(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.ADMIN);
        Map<String, String> tags = userTags(body.stringMap("Tags", MAX_TAGS_PER_CALL));
        if (tags.isEmpty()) {
            throw KinesisException.validation("Tags", "{}", "Member must have length greater than or equal to 1");
        }
        return streams.service.tag(name, tags, java.util.Set.of()).thenApply(definition -> empty(body));
    }

    CompletionStage<HttpReply> removeTags(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.ADMIN);
        List<String> keys = body.strings("TagKeys", MAX_TAGS_PER_CALL);
        if (keys.isEmpty()) {
            throw KinesisException.validation("TagKeys", "[]", "Member must have length greater than or equal to 1");
        }
        for (String key : keys) {
            reservedKey(key);
        }
        return streams.service.tag(name, Map.of(), new HashSet<>(keys)).thenApply(definition -> empty(body));
    }

    CompletionStage<HttpReply> listTags(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.READ);
        int limit = body.optInt("Limit", 1, 50).orElse(50);
        Optional<String> after = body.optString("ExclusiveStartTagKey");
        return streams.service.describe(name).thenApply(description -> {
            List<Map.Entry<String, String>> page = new ArrayList<>();
            boolean more = false;
            for (Map.Entry<String, String> tag : description.info().definition().tags().entrySet()) {
                if (tag.getKey().startsWith("aws:") || after.isPresent() && tag.getKey().compareTo(after.get()) <= 0) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(tag);
            }
            boolean hasMore = more;
            return KinesisResponseEncoder.ok(body.format(), out -> {
                out.gen.writeArrayFieldStart("Tags");
                for (Map.Entry<String, String> tag : page) {
                    out.gen.writeStartObject();
                    out.string("Key", tag.getKey());
                    out.string("Value", tag.getValue());
                    out.gen.writeEndObject();
                }
                out.gen.writeEndArray();
                out.gen.writeBooleanField("HasMoreTags", hasMore);
            });
        });
    }

    CompletionStage<HttpReply> changeRetention(Body body, HttpCall call, boolean increase) {
        StreamName name = streams.resolve(body, call, Permission.ADMIN);
        int hours = body.optInt("RetentionPeriodHours", 1, 8760).orElseThrow(() -> KinesisException.validation(
                "RetentionPeriodHours", "null", "Member must not be null"));
        if (hours < 24) {
            throw KinesisException.invalid("Minimum allowed retention period is 24 hours. Requested retention period"
                    + " (" + hours + " hours) is too short.");
        }
        return streams.service.describe(name).thenCompose(description -> {
            StreamDefinition definition = description.info().definition();
            int current = KinesisStreams.retentionHours(definition);
            if (increase && hours < current) {
                throw KinesisException.invalid("Requested retention period (" + hours + " hours) for stream "
                        + name.value() + " can not be shorter than existing retention period (" + current
                        + " hours). Use DecreaseRetentionPeriod API.");
            }
            if (!increase && hours > current) {
                throw KinesisException.invalid("Requested retention period (" + hours + " hours) for stream "
                        + name.value() + " can not be longer than existing retention period (" + current
                        + " hours). Use IncreaseRetentionPeriod API.");
            }
            return streams.service.update(definition.toBuilder().timeToLive(Duration.ofHours(hours)).build());
        }).thenApply(info -> empty(body));
    }

    /** Tags a client may set: not under the reserved {@code aws:} prefix. */
    private static Map<String, String> userTags(Map<String, String> tags) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            reservedKey(tag.getKey());
            if (tag.getKey().isEmpty() || tag.getKey().length() > StreamDefinition.MAX_TAG_KEY_LENGTH) {
                throw KinesisException.invalid("tag key \"" + tag.getKey() + "\" must be 1 to "
                        + StreamDefinition.MAX_TAG_KEY_LENGTH + " characters");
            }
            if (tag.getValue().length() > StreamDefinition.MAX_TAG_VALUE_LENGTH) {
                throw KinesisException.invalid("the value of tag \"" + tag.getKey() + "\" must be at most "
                        + StreamDefinition.MAX_TAG_VALUE_LENGTH + " characters");
            }
        }
        return tags;
    }

    private static void reservedKey(String key) {
        if (key.startsWith("aws:")) {
            throw KinesisException.invalid("tag key \"" + key + "\": keys starting with aws: are reserved");
        }
    }

    private static HttpReply empty(Body body) {
        return KinesisResponseEncoder.ok(body.format(), out -> { });
    }

    /** Page tokens: base64url of a kind and fields; they carry nothing a client could not ask for directly. */
    static final class Tokens {
        private Tokens() {
        }

        static String write(String kind, String... fields) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + "1\n" + String.join("\n", fields))
                    .getBytes(StandardCharsets.UTF_8));
        }

        static List<String> read(String field, String kind, String token) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                List<String> parts = List.of(text.split("\n", -1));
                if (token.length() > 1048 || parts.size() < 2 || !parts.get(0).equals(kind + "1")) {
                    throw new IllegalArgumentException();
                }
                return parts.subList(1, parts.size());
            } catch (IllegalArgumentException e) {
                throw KinesisException.invalid(field + " is not one this daemon issued");
            }
        }
    }
}
