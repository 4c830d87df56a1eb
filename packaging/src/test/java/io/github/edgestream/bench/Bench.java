package io.github.edgestream.bench;

import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.daemon.DaemonConfig;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What the benchmark main programs of this package share besides their phases: an in-process daemon and its
 * Greengrass protocol client, a pool of random payloads, elapsed seconds, percentiles of sorted timings, deleting a
 * run's files, this JVM's own counters (minor page faults, GCs, CPU time) and, with them, a per-second {@link Trace}
 * of a write phase. Static helpers; a {@link Trace} is not thread-safe.
 */
final class Bench {

    private Bench() {
    }

    /**
     * A daemon on free ports (the Greengrass protocol's and HTTP's), its File streams under {@code root}, observability
     * off, {@code token} its Greengrass token; {@code moreYaml} (top-level keys, or empty) ends its configuration.
     */
    static Daemon startDaemon(Path root, String token, String moreYaml) throws Exception {
        return startDaemon(root, token, "", moreYaml);
    }

    /**
     * As {@link #startDaemon(Path, String, String)}, with {@code moreHttpYaml} (keys of {@code http:}, each line
     * indented by two spaces and ended by a newline, or empty) added to its {@code http:} map.
     */
    static Daemon startDaemon(Path root, String token, String moreHttpYaml, String moreYaml) throws Exception {
        Files.createDirectories(root);
        Path config = root.resolve("edgestream.yaml");
        Files.writeString(config, """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                observability:
                  enabled: false
                http:
                  port: 0
                """.formatted(root.resolve("store")) + moreHttpYaml + moreYaml);
        return Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config), Map.of()),
                Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", token));
    }

    /** A Greengrass protocol client of {@code daemon}, authenticated with {@code token}. */
    static StreamManagerClient greengrassClient(Daemon daemon, String token) {
        return new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port()).withAuthToken(token));
    }

    /** {@code count} payloads of {@code size} random bytes, the same in every run (one seed). */
    static byte[][] payloads(int count, int size) {
        byte[][] payloads = new byte[count][];
        var random = new SplittableRandom(42);
        for (int i = 0; i < count; i++) {
            payloads[i] = new byte[size];
            random.nextBytes(payloads[i]);
        }
        return payloads;
    }

    /** Seconds since {@code startNanos} (a {@link System#nanoTime()}). */
    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The value at {@code fraction} (0.50 for the median) of {@code sorted}: the nearest rank, no interpolation. */
    static double percentile(long[] sorted, double fraction) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)];
    }

    /** Deletes {@code root} and everything below it; says so and goes on if it cannot. */
    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.out.println("could not delete " + root + ": " + e);
        }
    }

    /** Minor page faults, GC count, GC milliseconds and process CPU nanoseconds of this JVM so far. */
    static long[] processStats() {
        try {
            String[] stat = Files.readString(Path.of("/proc/self/stat")).replaceFirst("^.*\\) ", "").split(" ");
            long gcs = 0;
            long gcMillis = 0;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcs += gc.getCollectionCount();
                gcMillis += gc.getCollectionTime();
            }
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            return new long[] {Long.parseLong(stat[7]), gcs, gcMillis, cpu};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@link #processStats()} counted since {@code before}, as {@code "; minflt 1,234, GCs 5 (67 ms), ..."}. */
    static String statsSince(long[] before) {
        long[] now = processStats();
        return String.format("; minflt %,d, GCs %d (%d ms), process CPU %.2f s", now[0] - before[0],
                now[1] - before[1], now[2] - before[2], (now[3] - before[3]) / 1e9);
    }

    /**
     * When on, a write phase prints the records it sent in each second, with the {@link #statsSince} over the phase,
     * to see whether a rate holds over the phase; when off, it costs a test of a flag per record.
     */
    static final class Trace {
        private final boolean on;
        private final String stream;
        private final long start = System.nanoTime();
        private final long[] stats;
        private long nextSecond = 1;
        private long before;
        private final StringBuilder line = new StringBuilder();

        Trace(String stream, boolean on) {
            this.stream = stream;
            this.on = on;
            this.stats = on ? processStats() : null;
        }

        /** The phase has sent {@code sent} records so far. */
        void at(long sent) {
            if (on && System.nanoTime() - start >= nextSecond * 1_000_000_000L) {
                line.append(String.format(" %,d", sent - before));
                before = sent;
                nextSecond++;
            }
        }

        /** The phase has sent everything: prints the line if on. */
        void done() {
            if (on) {
                System.out.printf("  trace %s, records sent in each second:%s%s%n", stream, line, statsSince(stats));
            }
        }
    }

    /** Where {@code needle} first stands in {@code haystack[from, length)}, or -1 (answers scanned without parsing). */
    static int indexOf(byte[] haystack, int length, byte[] needle, int from) {
        byte first = needle[0];
        int last = length - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Writes back the dirty pages of earlier phases before a measured one; {@code -Dbench.sync=false} skips it. */
    static void settleDisk() throws Exception {
        if (!Boolean.parseBoolean(System.getProperty("bench.sync", "true"))) {
            return;
        }
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IllegalStateException("sync failed");
        }
    }
}
