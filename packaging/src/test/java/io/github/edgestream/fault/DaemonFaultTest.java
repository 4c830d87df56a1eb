package io.github.edgestream.fault;

import io.github.edgestream.cli.DaemonProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every fault test shares: a directory of its own, the distribution's daemon as a process (killed at the end
 * if the test left it running), and its configuration: the store where the test says, a free port, no client
 * authentication, no HTTP endpoint, plus the test's own settings.
 */
abstract class DaemonFaultTest {

    @TempDir
    Path root;

    /** The daemon now running, if any; {@link #stopDaemon()} kills it after the test. */
    DaemonProcess daemon;

    @AfterEach
    void stopDaemon() throws InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            daemon.kill();
        }
    }

    /**
     * Writes {@code edgestream.yaml} with the store in {@code store}; {@code storeSettings} and {@code serverSettings}
     * are added under {@code store:} and {@code server:} (e.g. {@code "minFreeDiskSpace: 0"}), {@code sections} are
     * whole sections (e.g. {@code "exporter:\n  callTimeout: 5s\n"}).
     */
    Path config(Path store, String storeSettings, String serverSettings, String sections) throws IOException {
        return Files.writeString(root.resolve("edgestream.yaml"), "store:\n  rootDirectory: " + store + "\n"
                + storeSettings.indent(2) + "server:\n  port: 0\n  authenticateClient: false\n"
                + serverSettings.indent(2) + "observability:\n  enabled: false\n" + sections);
    }

    /** Starts the daemon on {@code config} and waits until it is ready. */
    DaemonProcess start(Path config) throws Exception {
        // to try other settings under the same faults: -Dfault.jvmArgs=... (the daemon's JVM_ARGS) and
        // -Dfault.env=NAME=VALUE,NAME=VALUE (more of its environment)
        Map<String, String> environment = new java.util.HashMap<>();
        String jvmArgs = System.getProperty("fault.jvmArgs", "");
        if (!jvmArgs.isBlank()) {
            environment.put("JVM_ARGS", jvmArgs);
        }
        for (String pair : System.getProperty("fault.env", "").split(",")) {
            if (pair.contains("=")) {
                environment.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        daemon = DaemonProcess.start(root, config, environment);
        return daemon;
    }
}
