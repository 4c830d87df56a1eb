package io.github.edgestream.config;

import java.nio.file.Path;
import java.time.Duration;

/** A schema shaped like the daemon's: sections, defaults, optional settings, several environment variables. */
final class ExampleSettings {

    static final Setting<Path> ROOT = Setting.of("store.rootDirectory", SettingTypes.PATH)
            .defaultValue(Path.of("data")).env("STREAM_MANAGER_STORE_ROOT_DIR").describe("Store.").build();
    static final Setting<Long> SIZE = Setting.of("store.maxMessageSize", SettingTypes.BYTES).defaultValue(16L << 20)
            .validate(v -> v >= 1, "be at least 1 byte").describe("Largest message.").build();
    static final Setting<Duration> INTERVAL = Setting.of("store.retentionInterval", SettingTypes.DURATION)
            .defaultValue(Duration.ofSeconds(10)).describe("Retention pass.").build();
    static final Setting<Integer> PORT = Setting.of("server.port", SettingTypes.PORT).defaultValue(8088)
            .env("STREAM_MANAGER_SERVER_PORT").describe("TCP port.").build();
    static final Setting<Path> SOCKET = Setting.of("server.unixSocket", SettingTypes.PATH).describe("Socket.").build();
    static final Setting<Boolean> AUTH = Setting.of("server.authenticateClient", SettingTypes.BOOLEAN)
            .defaultValue(true).env("STREAM_MANAGER_AUTHENTICATE_CLIENT").describe("Require a token.").build();
    static final Setting<String> HOST = Setting.of("server.host", SettingTypes.STRING).defaultValue("127.0.0.1")
            .describe("Address.").build();
    static final Setting<Integer> POOL = Setting.of("exporter.threadPoolSize", SettingTypes.INT).defaultValue(5)
            .validate(v -> v >= 1, "be at least 1")
            .env("STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE", "STREAM_MANAGER_THREAD_POOL_SIZE")
            .describe("Exporter threads.").build();
    static final Setting<Long> BANDWIDTH = Setting.of("exporter.maxBandwidthKbps", SettingTypes.LONG)
            .validate(v -> v >= 1, "be at least 1").env("STREAM_MANAGER_EXPORTER_MAX_BANDWIDTH")
            .describe("Upload limit; unset is unlimited.").build();
    static final Setting<String> LEVEL = Setting.of("log.level", SettingTypes.oneOf("DEBUG", "INFO", "WARN"))
            .defaultValue("INFO").env("LOG_LEVEL").describe("Verbosity.").build();

    static final ConfigSchema SCHEMA = ConfigSchema.of(ROOT, SIZE, INTERVAL, PORT, SOCKET, AUTH, HOST, POOL, BANDWIDTH,
            LEVEL);

    private ExampleSettings() {
    }
}
