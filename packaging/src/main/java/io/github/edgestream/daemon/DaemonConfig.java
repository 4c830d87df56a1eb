package io.github.edgestream.daemon;

import io.github.edgestream.config.Config;
import io.github.edgestream.config.ConfigSchema;
import io.github.edgestream.config.Setting;
import io.github.edgestream.config.SettingTypes;
import io.github.edgestream.core.export.ExportRuntimeSettings;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.http.HttpSettings;
import io.github.edgestream.ipc.server.ClientAuthenticator;
import io.github.edgestream.ipc.server.IpcSettings;
import io.github.edgestream.net.Transport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the daemon: its key in the YAML file, default, the Greengrass environment variable that overrides
 * it (protocol section 1; the names of {@code aws.greengrass.StreamManager}), and a one-line description. Sources,
 * lowest to highest: these defaults, the {@code --config} file, the environment.
 */
public final class DaemonConfig {

    public static final Setting<Path> STORE_ROOT = Setting.of("store.rootDirectory", SettingTypes.PATH)
            .defaultValue(Path.of("edgestream-data")).env("STREAM_MANAGER_STORE_ROOT_DIR")
            .describe("Directory of the stream definitions and File streams (created if missing).").build();
    public static final Setting<Long> MAX_MESSAGE_SIZE = Setting.of("store.maxMessageSize", SettingTypes.BYTES)
            .defaultValue(StoreSettings.DEFAULT_MAX_MESSAGE_SIZE.bytes())
            .validate(v -> v >= 1 && v <= StoreSettings.LARGEST_MAX_MESSAGE_SIZE.bytes(), "be between 1 and 256MiB")
            .describe("Largest single message any stream accepts.").build();
    public static final Setting<Duration> RETENTION_INTERVAL = Setting.of("store.retentionInterval",
                    SettingTypes.DURATION)
            .defaultValue(StoreSettings.DEFAULT_RETENTION_INTERVAL)
            .validate(v -> !v.isNegative() && !v.isZero(), "be positive")
            .describe("How often segments past their stream's time to live are deleted.").build();
    public static final Setting<Long> MIN_FREE_DISK = Setting.of("store.minFreeDiskSpace", SettingTypes.BYTES)
            .defaultValue(StoreSettings.DEFAULT_MIN_FREE_DISK_SPACE.bytes())
            .describe("Appends to File streams fail cleanly when the disk has less free space than this.").build();

    public static final Setting<String> HOST = Setting.of("server.host", SettingTypes.STRING)
            .defaultValue("127.0.0.1")
            .describe("TCP address to listen on; keep loopback unless remote clients must connect.").build();
    public static final Setting<Integer> PORT = Setting.of("server.port", SettingTypes.PORT)
            .defaultValue(IpcSettings.DEFAULT_PORT).env("STREAM_MANAGER_SERVER_PORT")
            .describe("TCP port the SDKs dial; 0 picks a free port (logged).").build();
    public static final Setting<Boolean> TCP_ENABLED = Setting.of("server.tcpEnabled", SettingTypes.BOOLEAN)
            .defaultValue(true).describe("Listen on TCP (the official SDKs only speak TCP).").build();
    public static final Setting<Path> UNIX_SOCKET = Setting.of("server.unixSocket", SettingTypes.PATH)
            .describe("Also listen on this Unix domain socket.").build();
    public static final Setting<String> UNIX_SOCKET_PERMISSIONS = Setting.of("server.unixSocketPermissions",
                    SettingTypes.STRING)
            .defaultValue("rw-rw----")
            .validate(DaemonConfig::isPermissions, "be nine characters like rw-rw----")
            .describe("POSIX permissions of the Unix socket file.").build();
    public static final Setting<Boolean> AUTHENTICATE = Setting.of("server.authenticateClient", SettingTypes.BOOLEAN)
            .defaultValue(true).env("STREAM_MANAGER_AUTHENTICATE_CLIENT")
            .describe("Require the auth token in each client's handshake.").build();
    public static final Setting<Path> TOKEN_FILE = Setting.of("server.authTokenFile", SettingTypes.PATH)
            .describe("Token file (created with mode 0600 if missing) when AWS_CONTAINER_AUTHORIZATION_TOKEN is not"
                    + " set; default: auth-token in the store directory.").build();
    public static final Setting<Long> MAX_FRAME_SIZE = Setting.of("server.maxFrameSize", SettingTypes.BYTES)
            .defaultValue(17L << 20).validate(v -> v >= 1024 && v <= 1L << 30, "be between 1KiB and 1GiB")
            .describe("Larger request frames are refused with RequestPayloadTooLarge, never buffered.").build();
    public static final Setting<Long> MAX_RESPONSE_SIZE = Setting.of("server.maxResponseSize", SettingTypes.BYTES)
            .defaultValue(64L << 20).validate(v -> v >= 64 * 1024 && v <= 1L << 30, "be between 64KiB and 1GiB")
            .describe("A read returns fewer messages to stay under this size.").build();
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.of("server.maxConnections", SettingTypes.INT)
            .defaultValue(1024).validate(v -> v >= 1, "be at least 1")
            .describe("Further connections are closed at once.").build();
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.of("server.maxRequestsInFlight", SettingTypes.INT)
            .defaultValue(1024).validate(v -> v >= 1, "be at least 1")
            .describe("Per connection; beyond it the server stops reading from that connection.").build();
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.of("server.idleTimeout", SettingTypes.DURATION)
            .defaultValue(Duration.ZERO).validate(v -> !v.isNegative(), "not be negative")
            .describe("Close connections idle this long (none waiting on a read); 0 keeps them.").build();
    public static final Setting<Duration> FRAME_TIMEOUT = Setting.of("server.frameTimeout", SettingTypes.DURATION)
            .defaultValue(Duration.ofSeconds(30)).validate(v -> !v.isNegative(), "not be negative")
            .describe("Close a connection whose frame stops arriving midway for this long.").build();
    public static final Setting<Integer> IO_THREADS = Setting.of("server.ioThreads", SettingTypes.INT)
            .defaultValue(0).validate(v -> v >= 0, "not be negative")
            .describe("Event-loop threads; 0 means one per processor.").build();

    public static final Setting<Integer> EXPORTER_POOL = Setting.of("exporter.threadPoolSize", SettingTypes.INT)
            .defaultValue(5).validate(v -> v >= 1, "be at least 1")
            .env("STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE", "STREAM_MANAGER_THREAD_POOL_SIZE")
            .describe("Threads shared by all exports.").build();
    public static final Setting<Long> EXPORTER_BANDWIDTH = Setting.of("exporter.maxBandwidthKbps", SettingTypes.LONG)
            .validate(v -> v >= 1, "be at least 1").env("STREAM_MANAGER_EXPORTER_MAX_BANDWIDTH")
            .describe("Average upload bandwidth of all exports together, in kbit/s; unset is unlimited.").build();
    public static final Setting<Long> S3_PART_SIZE = Setting.of("exporter.s3MinPartSize", SettingTypes.BYTES)
            .defaultValue(5_242_880L).validate(v -> v >= 5_242_880L, "be at least 5MiB (5242880 bytes)")
            .env("STREAM_MANAGER_EXPORTER_S3_DESTINATION_MULTIPART_UPLOAD_MIN_PART_SIZE_BYTES")
            .describe("Smallest part of an S3 multipart upload.").build();

    public static final Setting<String> EXPORTER_REGION = Setting.of("exporter.region", SettingTypes.STRING)
            .describe("AWS region of every AWS destination; unset: the SDK's own (AWS_REGION, profile, IMDS).")
            .build();
    public static final Setting<Duration> EXPORTER_CALL_TIMEOUT = Setting.of("exporter.callTimeout",
                    SettingTypes.DURATION)
            .defaultValue(Duration.ofSeconds(30)).validate(v -> !v.isNegative() && !v.isZero(), "be positive")
            .describe("A call to a destination taking longer fails and is retried with back-off.").build();
    public static final Setting<URI> KINESIS_ENDPOINT = endpoint("kinesis", "Kinesis");
    public static final Setting<URI> IOT_ANALYTICS_ENDPOINT = endpoint("iotAnalytics", "IoT Analytics");
    public static final Setting<URI> IOT_SITEWISE_ENDPOINT = endpoint("iotSiteWise", "IoT SiteWise");
    public static final Setting<URI> S3_ENDPOINT = endpoint("s3", "S3");
    public static final Setting<Boolean> S3_PATH_STYLE = Setting.of("exporter.s3.pathStyle", SettingTypes.BOOLEAN)
            .describe("Address buckets as endpoint/bucket/key; unset: yes under any endpoint override"
                    + " (exporter.s3.endpoint, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL), as MinIO, S3Proxy and Ceph"
                    + " need, else virtual-hosted (bucket.s3.region.amazonaws.com).").build();

    public static final Setting<Boolean> OBSERVABILITY_ENABLED = Setting.of("observability.enabled",
                    SettingTypes.BOOLEAN)
            .defaultValue(true).describe("Serve /health, /metrics (Prometheus) and the status page over HTTP.").build();
    public static final Setting<String> OBSERVABILITY_HOST = Setting.of("observability.host", SettingTypes.STRING)
            .defaultValue("127.0.0.1").describe("Address of the HTTP endpoint; keep loopback unless scraped remotely.")
            .build();
    public static final Setting<Integer> OBSERVABILITY_PORT = Setting.of("observability.port", SettingTypes.PORT)
            .defaultValue(9110).env("EDGESTREAM_OBSERVABILITY_PORT")
            .describe("Port of the HTTP endpoint; 0 picks a free port (logged). If it is taken, streams are served"
                    + " anyway and the bind is retried in the background.").build();

    public static final Setting<Boolean> HTTP_ENABLED = Setting.of("http.enabled", SettingTypes.BOOLEAN)
            .defaultValue(true).env("EDGESTREAM_HTTP_ENABLED")
            .describe("Serve the HTTP APIs (Kinesis, S2) on the local HTTP port.").build();
    public static final Setting<String> HTTP_HOST = Setting.of("http.host", SettingTypes.STRING)
            .defaultValue("127.0.0.1")
            .describe("Address of the HTTP APIs; keep loopback unless remote clients must connect.").build();
    public static final Setting<Integer> HTTP_PORT = Setting.of("http.port", SettingTypes.PORT)
            .defaultValue(HttpSettings.DEFAULT_PORT).env("EDGESTREAM_HTTP_PORT")
            .describe("Port of the HTTP APIs (HTTP/1.1 and h2c on the same port); 0 picks a free port (logged).")
            .build();
    public static final Setting<Boolean> HTTP_AUTHENTICATE = Setting.of("http.authenticateClient",
                    SettingTypes.BOOLEAN)
            .defaultValue(true).env("EDGESTREAM_HTTP_AUTHENTICATE_CLIENT")
            .describe("Authenticate every HTTP request (SigV4 or Bearer) against http.credentialsFile and the"
                    + " daemon's token; off: anyone who can connect may do everything.").build();
    public static final Setting<Path> HTTP_CREDENTIALS = Setting.of("http.credentialsFile", SettingTypes.PATH)
            .describe("YAML file of scoped credentials for the HTTP APIs (see the README); unset: only the"
                    + " daemon's token is accepted.").build();
    public static final Setting<Long> HTTP_MAX_BODY = Setting.of("http.maxBodySize", SettingTypes.BYTES)
            .defaultValue(HttpSettings.DEFAULT_MAX_BODY_SIZE)
            .validate(v -> v >= 1024 && v <= HttpSettings.LARGEST_MAX_BODY_SIZE, "be between 1KiB and 1GiB")
            .describe("Larger request bodies are refused (413) without being buffered.").build();
    public static final Setting<Long> HTTP_MAX_HEADERS = Setting.of("http.maxHeaderSize", SettingTypes.BYTES)
            .defaultValue((long) HttpSettings.DEFAULT_MAX_HEADER_SIZE)
            .validate(v -> v >= 1024 && v <= 1 << 20, "be between 1KiB and 1MiB")
            .describe("Largest header block of a request (HTTP/1.1 headers, HTTP/2 header list).").build();
    public static final Setting<Integer> HTTP_MAX_CONNECTIONS = Setting.of("http.maxConnections", SettingTypes.INT)
            .defaultValue(1024).validate(v -> v >= 1, "be at least 1")
            .describe("Further HTTP connections are closed at once.").build();
    public static final Setting<Duration> HTTP_IDLE_TIMEOUT = Setting.of("http.idleTimeout", SettingTypes.DURATION)
            .defaultValue(Duration.ofMinutes(5)).validate(v -> !v.isNegative(), "not be negative")
            .describe("Close HTTP connections idle this long; 0 keeps them.").build();

    public static final Setting<Boolean> KINESIS_ENABLED = Setting.of("api.kinesis.enabled", SettingTypes.BOOLEAN)
            .defaultValue(true).describe("Serve the Kinesis Data Streams API on the HTTP port.").build();
    public static final Setting<String> KINESIS_REGION = kinesis("region", "us-east-1",
            "Region written in StreamARNs (clients may sign for any region).");
    public static final Setting<String> KINESIS_ACCOUNT = kinesis("accountId", "000000000000",
            "Account id written in StreamARNs.");
    public static final Setting<String> KINESIS_PERSISTENCE = Setting.of("api.kinesis.persistence",
                    SettingTypes.oneOf("File", "Memory")).defaultValue("File")
            .describe("Persistence of streams created through Kinesis.").build();
    public static final Setting<Long> KINESIS_MAX_SIZE = Setting.of("api.kinesis.maxSize", SettingTypes.BYTES)
            .defaultValue(StreamDefinition.DEFAULT_MAX_SIZE.bytes()).validate(v -> v >= 1024, "be at least 1KiB")
            .describe("What each shard of a stream created through Kinesis may hold.").build();
    public static final Setting<String> KINESIS_STRATEGY = Setting.of("api.kinesis.strategyOnFull",
                    SettingTypes.oneOf("RejectNewData", "OverwriteOldestData")).defaultValue("RejectNewData")
            .describe("When such a shard is full: RejectNewData (producers get"
                    + " ProvisionedThroughputExceededException and retry) or OverwriteOldestData.").build();
    public static final Setting<Boolean> KINESIS_FLUSH = Setting.of("api.kinesis.flushOnWrite", SettingTypes.BOOLEAN)
            .defaultValue(false).describe("Acknowledge a put only once it is on disk.").build();
    public static final Setting<Integer> KINESIS_RETENTION = Setting.of("api.kinesis.retentionHours",
                    SettingTypes.INT).defaultValue(24).validate(v -> v >= 24 && v <= 8760, "be between 24 and 8760")
            .describe("Time to live of a new stream, in hours (Kinesis's retention period).").build();
    public static final Setting<Integer> KINESIS_ON_DEMAND = Setting.of("api.kinesis.onDemandShards",
                    SettingTypes.INT).defaultValue(1).validate(v -> v >= 1 && v <= StreamDefinition.MAX_PARTITIONS,
                    "be between 1 and " + StreamDefinition.MAX_PARTITIONS)
            .describe("Shards of a stream created in ON_DEMAND mode (several shards cannot export yet).").build();

    public static final Setting<Boolean> S2_ENABLED = Setting.of("api.s2.enabled", SettingTypes.BOOLEAN)
            .defaultValue(true).describe("Serve the S2 (s2.dev) stream API on the HTTP port.").build();
    public static final Setting<String> S2_PERSISTENCE = Setting.of("api.s2.persistence",
                    SettingTypes.oneOf("File", "Memory")).defaultValue("File")
            .describe("Persistence of streams created through S2.").build();
    public static final Setting<Long> S2_MAX_SIZE = Setting.of("api.s2.maxSize", SettingTypes.BYTES)
            .defaultValue(StreamDefinition.DEFAULT_MAX_SIZE.bytes()).validate(v -> v >= 1024, "be at least 1KiB")
            .describe("What each stream created through S2 may hold.").build();
    public static final Setting<Long> S2_SEGMENT_SIZE = Setting.of("api.s2.segmentSize", SettingTypes.BYTES)
            .defaultValue(StreamDefinition.DEFAULT_SEGMENT_SIZE.bytes()).validate(v -> v >= 1024,
                    "be at least 1KiB")
            .describe("Segment size (unit of deletion) of streams created through S2.").build();
    public static final Setting<String> S2_STRATEGY = Setting.of("api.s2.strategyOnFull",
                    SettingTypes.oneOf("RejectNewData", "OverwriteOldestData")).defaultValue("RejectNewData")
            .describe("When such a stream is full: RejectNewData (appends get 403 quota_exhausted) or"
                    + " OverwriteOldestData.").build();
    public static final Setting<Boolean> S2_FLUSH = Setting.of("api.s2.flushOnWrite", SettingTypes.BOOLEAN)
            .defaultValue(true).describe("Acknowledge an append only once it is on disk (S2's contract).").build();
    public static final Setting<Long> S2_RETENTION = Setting.of("api.s2.retentionSeconds", SettingTypes.LONG)
            .defaultValue(7L * 24 * 3600).validate(v -> v >= 1, "be at least 1")
            .describe("Retention of a new stream whose request and basin give none, in seconds (S2's default: 7"
                    + " days).").build();
    public static final Setting<Long> S2_SESSION_WINDOW = Setting.of("api.s2.sessionWindow", SettingTypes.BYTES)
            .defaultValue(8L << 20).validate(v -> v >= (2L << 20) && v <= (1L << 30), "be between 2MiB and 1GiB")
            .describe("Unacknowledged bytes an append session may have in flight before the daemon stops reading"
                    + " it (the client is slowed, never dropped).").build();
    public static final Setting<Integer> S2_HEARTBEAT = Setting.of("api.s2.heartbeatSeconds", SettingTypes.INT)
            .defaultValue(5).validate(v -> v >= 1 && v <= 10, "be between 1 and 10")
            .describe("How often a tailing read session with nothing new sends a heartbeat.").build();

    public static final Setting<Boolean> OCI_ENABLED = Setting.of("api.oci.enabled", SettingTypes.BOOLEAN)
            .defaultValue(true).describe("Serve the OCI Streaming API on the HTTP port.").build();
    public static final Setting<String> OCI_REGION = Setting.of("api.oci.region", SettingTypes.STRING)
            .defaultValue("us-ashburn-1").describe("Region written in the OCIDs of streams and stream pools (clients"
                    + " may use any region).").build();
    public static final Setting<String> OCI_COMPARTMENT = Setting.of("api.oci.compartmentId", SettingTypes.STRING)
            .defaultValue("ocid1.compartment.oc1..edgestream").describe("Compartment of the default stream pool"
                    + " and of streams created by the other APIs.").build();
    public static final Setting<String> OCI_PERSISTENCE = Setting.of("api.oci.persistence",
                    SettingTypes.oneOf("File", "Memory")).defaultValue("File")
            .describe("Persistence of streams created through OCI Streaming.").build();
    public static final Setting<Long> OCI_MAX_SIZE = Setting.of("api.oci.maxSize", SettingTypes.BYTES)
            .defaultValue(StreamDefinition.DEFAULT_MAX_SIZE.bytes()).validate(v -> v >= 1024, "be at least 1KiB")
            .describe("What each partition of a stream created through OCI Streaming may hold.").build();
    public static final Setting<Long> OCI_SEGMENT_SIZE = Setting.of("api.oci.segmentSize", SettingTypes.BYTES)
            .defaultValue(StreamDefinition.DEFAULT_SEGMENT_SIZE.bytes()).validate(v -> v >= 1024,
                    "be at least 1KiB")
            .describe("Segment size (unit of deletion) of streams created through OCI Streaming.").build();
    public static final Setting<String> OCI_STRATEGY = Setting.of("api.oci.strategyOnFull",
                    SettingTypes.oneOf("RejectNewData", "OverwriteOldestData")).defaultValue("RejectNewData")
            .describe("When such a partition is full: RejectNewData (PutMessages entries fail with"
                    + " TooManyRequests) or OverwriteOldestData.").build();
    public static final Setting<Boolean> OCI_FLUSH = Setting.of("api.oci.flushOnWrite", SettingTypes.BOOLEAN)
            .defaultValue(false).describe("Acknowledge a PutMessages only once it is on disk.").build();
    public static final Setting<URI> OCI_ENDPOINT = Setting.of("api.oci.messagesEndpoint", SettingTypes.HTTP_URL)
            .describe("The messagesEndpoint streams show (an http(s) URL without a path, for clients that reach the"
                    + " gateway through a proxy); unset: the URL each request came to.").build();

    public static final Setting<Boolean> REDUCT_ENABLED = Setting.of("api.reductstore.enabled", SettingTypes.BOOLEAN)
            .defaultValue(true).describe("Serve the ReductStore API on the HTTP port.").build();
    public static final Setting<String> REDUCT_PERSISTENCE = Setting.of("api.reductstore.persistence",
                    SettingTypes.oneOf("File", "Memory")).defaultValue("File")
            .describe("Persistence of entries created through ReductStore.").build();
    public static final Setting<Long> REDUCT_MAX_SIZE = Setting.of("api.reductstore.maxSize", SettingTypes.BYTES)
            .defaultValue(1L << 30).validate(v -> v >= 1024, "be at least 1KiB")
            .describe("What each entry may hold.").build();
    public static final Setting<Long> REDUCT_SEGMENT_SIZE = Setting.of("api.reductstore.segmentSize",
                    SettingTypes.BYTES).defaultValue(StreamDefinition.DEFAULT_SEGMENT_SIZE.bytes())
            .validate(v -> v >= 1024, "be at least 1KiB")
            .describe("Segment size (unit of deletion) of entries.").build();
    public static final Setting<String> REDUCT_STRATEGY = Setting.of("api.reductstore.strategyOnFull",
                    SettingTypes.oneOf("RejectNewData", "OverwriteOldestData")).defaultValue("OverwriteOldestData")
            .describe("When an entry is full: OverwriteOldestData (its oldest records go) or RejectNewData.").build();
    public static final Setting<Boolean> REDUCT_FLUSH = Setting.of("api.reductstore.flushOnWrite",
                    SettingTypes.BOOLEAN).defaultValue(false)
            .describe("Acknowledge a write only once it is on disk.").build();

    public static final Setting<String> LOG_LEVEL = Setting.of("log.level",
                    SettingTypes.oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR"))
            .defaultValue("INFO").env("LOG_LEVEL")
            .describe("Log verbosity (logs go to standard output).").build();

    public static final ConfigSchema SCHEMA = ConfigSchema.of(
            STORE_ROOT, MAX_MESSAGE_SIZE, RETENTION_INTERVAL, MIN_FREE_DISK,
            HOST, PORT, TCP_ENABLED, UNIX_SOCKET, UNIX_SOCKET_PERMISSIONS, AUTHENTICATE, TOKEN_FILE, MAX_FRAME_SIZE,
            MAX_RESPONSE_SIZE, MAX_CONNECTIONS, MAX_IN_FLIGHT, IDLE_TIMEOUT, FRAME_TIMEOUT, IO_THREADS,
            EXPORTER_POOL, EXPORTER_BANDWIDTH, S3_PART_SIZE, EXPORTER_REGION, EXPORTER_CALL_TIMEOUT,
            KINESIS_ENDPOINT, IOT_ANALYTICS_ENDPOINT, IOT_SITEWISE_ENDPOINT, S3_ENDPOINT, S3_PATH_STYLE,
            OBSERVABILITY_ENABLED, OBSERVABILITY_HOST, OBSERVABILITY_PORT,
            HTTP_ENABLED, HTTP_HOST, HTTP_PORT, HTTP_AUTHENTICATE, HTTP_CREDENTIALS, HTTP_MAX_BODY, HTTP_MAX_HEADERS,
            HTTP_MAX_CONNECTIONS, HTTP_IDLE_TIMEOUT,
            KINESIS_ENABLED, KINESIS_REGION, KINESIS_ACCOUNT, KINESIS_PERSISTENCE, KINESIS_MAX_SIZE, KINESIS_STRATEGY,
            KINESIS_FLUSH, KINESIS_RETENTION, KINESIS_ON_DEMAND,
            S2_ENABLED, S2_PERSISTENCE, S2_MAX_SIZE, S2_SEGMENT_SIZE, S2_STRATEGY, S2_FLUSH, S2_RETENTION,
            S2_SESSION_WINDOW, S2_HEARTBEAT,
            OCI_ENABLED, OCI_REGION, OCI_COMPARTMENT, OCI_PERSISTENCE, OCI_MAX_SIZE, OCI_SEGMENT_SIZE, OCI_STRATEGY,
            OCI_FLUSH, OCI_ENDPOINT,
            REDUCT_ENABLED, REDUCT_PERSISTENCE, REDUCT_MAX_SIZE, REDUCT_SEGMENT_SIZE, REDUCT_STRATEGY, REDUCT_FLUSH,
            LOG_LEVEL);

    /** The Kinesis API's settings, as text its provider validates. */
    private static final List<Setting<?>> KINESIS_OPTIONS = List.of(KINESIS_REGION, KINESIS_ACCOUNT,
            KINESIS_PERSISTENCE, KINESIS_MAX_SIZE, KINESIS_STRATEGY, KINESIS_FLUSH, KINESIS_RETENTION,
            KINESIS_ON_DEMAND);

    /** The S2 API's settings, as text its provider validates. */
    private static final List<Setting<?>> S2_OPTIONS = List.of(S2_PERSISTENCE, S2_MAX_SIZE, S2_SEGMENT_SIZE,
            S2_STRATEGY, S2_FLUSH, S2_RETENTION, S2_SESSION_WINDOW, S2_HEARTBEAT);

    /** The OCI Streaming API's settings, as text its provider validates. */
    private static final List<Setting<?>> OCI_OPTIONS = List.of(OCI_REGION, OCI_COMPARTMENT, OCI_PERSISTENCE,
            OCI_MAX_SIZE, OCI_SEGMENT_SIZE, OCI_STRATEGY, OCI_FLUSH, OCI_ENDPOINT);

    /** The ReductStore API's settings, as text its provider validates. */
    private static final List<Setting<?>> REDUCT_OPTIONS = List.of(REDUCT_PERSISTENCE, REDUCT_MAX_SIZE,
            REDUCT_SEGMENT_SIZE, REDUCT_STRATEGY, REDUCT_FLUSH);

    /** Each API the daemon has settings for: its enabled switch and its options. */
    private static final Map<String, Setting<Boolean>> API_ENABLED = Map.of("kinesis", KINESIS_ENABLED,
            "s2", S2_ENABLED, "oci", OCI_ENABLED, "reductstore", REDUCT_ENABLED);
    private static final Map<String, List<Setting<?>>> API_OPTIONS = Map.of("kinesis", KINESIS_OPTIONS,
            "s2", S2_OPTIONS, "oci", OCI_OPTIONS, "reductstore", REDUCT_OPTIONS);

    private DaemonConfig() {
    }

    private static boolean isPermissions(String value) {
        return value.matches("[r-][w-][x-][r-][w-][x-][r-][w-][x-]");
    }

    public static StoreSettings storeSettings(Config config) {
        return new StoreSettings(config.get(STORE_ROOT), DataSize.ofBytes(config.get(MAX_MESSAGE_SIZE)),
                config.get(RETENTION_INTERVAL), DataSize.ofBytes(config.get(MIN_FREE_DISK)));
    }

    /** @param authenticator decides on client tokens; empty when {@code server.authenticateClient} is off */
    public static IpcSettings ipcSettings(Config config, Optional<ClientAuthenticator> authenticator) {
        return new IpcSettings(config.get(TCP_ENABLED), config.get(HOST), config.get(PORT),
                config.find(UNIX_SOCKET), config.get(UNIX_SOCKET_PERMISSIONS), authenticator,
                DataSize.ofBytes(config.get(MAX_FRAME_SIZE)), DataSize.ofBytes(config.get(MAX_RESPONSE_SIZE)),
                config.get(MAX_CONNECTIONS), config.get(MAX_IN_FLIGHT), config.get(IDLE_TIMEOUT),
                config.get(FRAME_TIMEOUT), config.get(IO_THREADS), Transport.CURRENT);
    }

    /** The token file: configured, else {@code auth-token} in the store directory. */
    public static Path tokenFile(Config config) {
        return config.find(TOKEN_FILE).orElse(config.get(STORE_ROOT).resolve("auth-token"));
    }

    private static Setting<String> kinesis(String key, String defaultValue, String description) {
        return Setting.of("api.kinesis." + key, SettingTypes.STRING).defaultValue(defaultValue).describe(description)
                .build();
    }

    /** Whether an HTTP API is enabled ({@code api.<name>.enabled}); APIs the daemon has no setting for are on. */
    public static boolean apiEnabled(Config config, String api) {
        Setting<Boolean> enabled = API_ENABLED.get(api);
        return enabled == null || config.get(enabled);
    }

    /** An HTTP API's options ({@code api.<name>.*} without the prefix), for its provider to validate. */
    public static Map<String, String> apiOptions(Config config, String api) {
        Map<String, String> options = new java.util.TreeMap<>();
        String prefix = "api." + api + ".";
        for (Setting<?> setting : API_OPTIONS.getOrDefault(api, List.of())) {
            config.find(setting).ifPresent(value -> options.put(setting.key().substring(prefix.length()),
                    String.valueOf(value)));
        }
        return options;
    }

    public static HttpSettings httpSettings(Config config) {
        return new HttpSettings(config.get(HTTP_HOST), config.get(HTTP_PORT), config.get(HTTP_MAX_CONNECTIONS),
                config.get(HTTP_MAX_BODY), (int) (long) config.get(HTTP_MAX_HEADERS),
                HttpSettings.DEFAULT_MAX_INITIAL_LINE, 128, config.get(HTTP_IDLE_TIMEOUT), config.get(IO_THREADS),
                config.get(HTTP_AUTHENTICATE), Transport.CURRENT);
    }

    private static Setting<URI> endpoint(String key, String service) {
        return Setting.of("exporter." + key + ".endpoint", SettingTypes.HTTP_URL)
                .describe("Send " + service + " calls here (VPC endpoint, emulator); unset: the SDK's endpoint"
                        + " (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the region's).").build();
    }

    public static ExportRuntimeSettings exportSettings(Config config) {
        var destinations = new EnumMap<ExportKind, DestinationSettings>(ExportKind.class);
        var endpoints = Map.of(ExportKind.KINESIS, KINESIS_ENDPOINT, ExportKind.IOT_ANALYTICS, IOT_ANALYTICS_ENDPOINT,
                ExportKind.IOT_SITEWISE, IOT_SITEWISE_ENDPOINT, ExportKind.S3_TASK_EXECUTOR, S3_ENDPOINT);
        for (ExportKind kind : ExportKind.values()) {
            Setting<URI> endpoint = endpoints.get(kind);
            var destination = new DestinationSettings(endpoint == null ? Optional.empty() : config.find(endpoint),
                    config.find(EXPORTER_REGION), config.get(EXPORTER_CALL_TIMEOUT));
            if (kind == ExportKind.S3_TASK_EXECUTOR) {
                destination = destination.withOption("minPartSize", Long.toString(config.get(S3_PART_SIZE)));
                Optional<Boolean> pathStyle = config.find(S3_PATH_STYLE);
                if (pathStyle.isPresent()) {
                    destination = destination.withOption("pathStyle", pathStyle.get().toString());
                }
            }
            destinations.put(kind, destination);
        }
        var settings = ExportRuntimeSettings.defaults().withThreadPoolSize(config.get(EXPORTER_POOL))
                .withDestinations(destinations);
        return config.find(EXPORTER_BANDWIDTH).map(settings::withMaxBandwidthKbps).orElse(settings);
    }
}
