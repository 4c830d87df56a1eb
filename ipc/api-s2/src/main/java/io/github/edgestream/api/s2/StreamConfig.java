package io.github.edgestream.api.s2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.http.BodyCodecs;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An S2 stream configuration, each field possibly unset (a request may give any of them), and how it maps onto the
 * store:
 * <ul>
 *   <li>{@code retention_policy: {age: s}} is the stream's time to live; {@code {infinite: {}}} is none;</li>
 *   <li>{@code storage_class} ({@code standard}, {@code express}) is accepted and kept; every stream is on the
 *       gateway's local disk either way;</li>
 *   <li>{@code timestamping} ({@code mode}: client-prefer, client-require, arrival; {@code uncapped}) and
 *       {@code delete_on_empty} ({@code min_age_secs}) are kept as the stream's tags {@code s2.*} and applied by this
 *       API.</li>
 * </ul>
 *
 * @param storageClass     standard or express
 * @param retentionSeconds retention by age; {@code 0} means infinite
 * @param mode             timestamping mode
 * @param uncapped         whether client timestamps may be later than the arrival time
 * @param deleteOnEmpty    min_age_secs of delete_on_empty; {@code 0} means off
 */
record StreamConfig(Optional<String> storageClass, OptionalLong retentionSeconds, Optional<String> mode,
        Optional<Boolean> uncapped, OptionalLong deleteOnEmpty) {

    static final StreamConfig EMPTY = new StreamConfig(Optional.empty(), OptionalLong.empty(), Optional.empty(),
            Optional.empty(), OptionalLong.empty());

    static final String TAG_STORAGE_CLASS = "s2.storage_class";
    static final String TAG_MODE = "s2.timestamping.mode";
    static final String TAG_UNCAPPED = "s2.timestamping.uncapped";
    static final String TAG_DELETE_ON_EMPTY = "s2.delete_on_empty.min_age_secs";

    static final String CLIENT_PREFER = "client-prefer";
    static final String CLIENT_REQUIRE = "client-require";
    static final String ARRIVAL = "arrival";

    /**
     * A configuration from JSON ({@code null} or missing: all unset). A field given as {@code null} is unset too,
     * so in a reconfiguration it leaves the current value alone.
     */
    static StreamConfig parse(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return EMPTY;
        }
        if (!node.isObject()) {
            throw S2Exception.badJson(path + " is " + S2RequestDecoder.describe(node) + " but must be an object");
        }
        Optional<String> storage = Optional.empty();
        JsonNode sc = node.get("storage_class");
        if (sc != null && !sc.isNull()) {
            if (!sc.isTextual() || !(sc.asText().equals("standard") || sc.asText().equals("express"))) {
                throw S2Exception.invalid(path + ".storage_class is " + S2RequestDecoder.describe(sc)
                        + " but must be \"standard\" or \"express\"");
            }
            storage = Optional.of(sc.asText());
        }
        OptionalLong retention = OptionalLong.empty();
        JsonNode rp = node.get("retention_policy");
        if (rp != null && !rp.isNull()) {
            if (rp.isObject() && rp.has("age") && rp.size() == 1) {
                long age = S2RequestDecoder.u64(rp.get("age"), path + ".retention_policy.age");
                if (age < 1 || age > Long.MAX_VALUE / 1000) {
                    throw S2Exception.invalid(path + ".retention_policy.age is " + age + " but must be at least 1"
                            + " second");
                }
                retention = OptionalLong.of(age);
            } else if (rp.isObject() && rp.has("infinite") && rp.size() == 1) {
                retention = OptionalLong.of(0);
            } else {
                throw S2Exception.badJson(path + ".retention_policy is " + S2RequestDecoder.describe(rp)
                        + " but must be {\"age\": seconds} or {\"infinite\": {}}");
            }
        }
        Optional<String> mode = Optional.empty();
        Optional<Boolean> uncapped = Optional.empty();
        JsonNode ts = node.get("timestamping");
        if (ts != null && !ts.isNull()) {
            if (!ts.isObject()) {
                throw S2Exception.badJson(path + ".timestamping is " + S2RequestDecoder.describe(ts)
                        + " but must be an object");
            }
            JsonNode m = ts.get("mode");
            if (m != null && !m.isNull()) {
                String value = m.asText();
                if (!m.isTextual() || !(value.equals(CLIENT_PREFER) || value.equals(CLIENT_REQUIRE)
                        || value.equals(ARRIVAL))) {
                    throw S2Exception.invalid(path + ".timestamping.mode is " + S2RequestDecoder.describe(m)
                            + " but must be client-prefer, client-require or arrival");
                }
                mode = Optional.of(value);
            }
            JsonNode u = ts.get("uncapped");
            if (u != null && !u.isNull()) {
                if (!u.isBoolean()) {
                    throw S2Exception.badJson(path + ".timestamping.uncapped is " + S2RequestDecoder.describe(u)
                            + " but must be true or false");
                }
                uncapped = Optional.of(u.asBoolean());
            }
        }
        OptionalLong doe = OptionalLong.empty();
        JsonNode d = node.get("delete_on_empty");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) {
                throw S2Exception.badJson(path + ".delete_on_empty is " + S2RequestDecoder.describe(d)
                        + " but must be an object");
            }
            JsonNode age = d.get("min_age_secs");
            doe = OptionalLong.of(age == null || age.isNull() ? 0
                    : S2RequestDecoder.u64(age, path + ".delete_on_empty.min_age_secs"));
        }
        return new StreamConfig(storage, retention, mode, uncapped, doe);
    }

    /**
     * This configuration reconfigured by a PATCH body: a field given a value is set, a field given {@code null} is
     * reset to {@code defaults}' value, a missing field is kept ({@code timestamping}'s fields one by one).
     */
    StreamConfig patched(JsonNode node, String path, StreamConfig defaults) {
        if (node == null || node.isNull()) {
            return this;
        }
        StreamConfig given = parse(node, path);
        StreamConfig result = overlaidWith(given);
        boolean resetStorage = isNull(node, "storage_class");
        boolean resetRetention = isNull(node, "retention_policy");
        boolean resetDoe = isNull(node, "delete_on_empty");
        JsonNode ts = node.get("timestamping");
        boolean resetMode = isNull(node, "timestamping") || (ts != null && isNull(ts, "mode"));
        boolean resetUncapped = isNull(node, "timestamping") || (ts != null && isNull(ts, "uncapped"));
        return new StreamConfig(resetStorage ? defaults.storageClass : result.storageClass,
                resetRetention ? defaults.retentionSeconds : result.retentionSeconds,
                resetMode ? defaults.mode : result.mode, resetUncapped ? defaults.uncapped : result.uncapped,
                resetDoe ? defaults.deleteOnEmpty : result.deleteOnEmpty);
    }

    private static boolean isNull(JsonNode node, String field) {
        return node.has(field) && node.get(field).isNull();
    }

    /** S2's defaults, with the API's default retention. */
    static StreamConfig defaults(Duration retention) {
        return new StreamConfig(Optional.of("express"), OptionalLong.of(retention.toSeconds()),
                Optional.of(CLIENT_PREFER), Optional.of(false), OptionalLong.of(0));
    }

    /** This configuration with every field {@code over} sets replaced. */
    StreamConfig overlaidWith(StreamConfig over) {
        return new StreamConfig(over.storageClass.or(() -> storageClass),
                over.retentionSeconds.isPresent() ? over.retentionSeconds : retentionSeconds,
                over.mode.or(() -> mode), over.uncapped.or(() -> uncapped),
                over.deleteOnEmpty.isPresent() ? over.deleteOnEmpty : deleteOnEmpty);
    }

    /** Every field set: this one's, else the basin's default, else S2's (retention from the API's settings). */
    StreamConfig complete(StreamConfig basinDefault, Duration defaultRetention) {
        return defaults(defaultRetention).overlaidWith(basinDefault).overlaidWith(this);
    }

    /** The time to live this configuration gives a stream; empty for infinite retention. */
    Optional<Duration> timeToLive() {
        long seconds = retentionSeconds.orElse(0);
        return seconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }

    /** The tags that carry what the definition cannot. */
    Map<String, String> tags() {
        Map<String, String> tags = new HashMap<>();
        storageClass.ifPresent(v -> tags.put(TAG_STORAGE_CLASS, v));
        mode.ifPresent(v -> tags.put(TAG_MODE, v));
        uncapped.ifPresent(v -> tags.put(TAG_UNCAPPED, v.toString()));
        deleteOnEmpty.ifPresent(v -> tags.put(TAG_DELETE_ON_EMPTY, Long.toString(v)));
        return tags;
    }

    /** A stream's configuration from its definition (complete for a stream created through S2). */
    static StreamConfig of(StreamDefinition definition) {
        Map<String, String> tags = definition.tags();
        return new StreamConfig(Optional.ofNullable(tags.get(TAG_STORAGE_CLASS)).or(() -> Optional.of("express")),
                OptionalLong.of(definition.timeToLive().map(Duration::toSeconds).orElse(0L)),
                Optional.ofNullable(tags.get(TAG_MODE)).or(() -> Optional.of(CLIENT_PREFER)),
                Optional.of(Boolean.parseBoolean(tags.getOrDefault(TAG_UNCAPPED, "false"))),
                OptionalLong.of(parseLong(tags.get(TAG_DELETE_ON_EMPTY))));
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** This configuration as S2's JSON; unset fields are left out. */
    ObjectNode toJson() {
        ObjectNode node = BodyCodecs.json().createObjectNode();
        storageClass.ifPresent(v -> node.put("storage_class", v));
        retentionSeconds.ifPresent(v -> {
            ObjectNode policy = node.putObject("retention_policy");
            if (v == 0) {
                policy.putObject("infinite");
            } else {
                policy.put("age", v);
            }
        });
        if (mode.isPresent() || uncapped.isPresent()) {
            ObjectNode t = node.putObject("timestamping");
            mode.ifPresent(v -> t.put("mode", v));
            uncapped.ifPresent(v -> t.put("uncapped", v));
        }
        deleteOnEmpty.ifPresent(v -> node.putObject("delete_on_empty").put("min_age_secs", v));
        return node;
    }
}
