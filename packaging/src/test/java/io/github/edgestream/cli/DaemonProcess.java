package io.github.edgestream.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A daemon of the distribution running as its own process; a thread collects its output, so its pipe never fills. */
public final class DaemonProcess {

    static final Path LAUNCHER = Path.of("target", "edgestream", "bin", "edgestream");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern HTTP_LISTENING = Pattern.compile("listening on http://[^:/]+:(\\d+)");
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms: .* tcp 127\\.0\\.0\\.1:(\\d+)");

    /** Starts {@code edgestream run --config <config>} in {@code directory} and waits until it is ready. */
    public static DaemonProcess start(Path directory, Path config, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = launcher(directory, "run", "--config", config.toString());
        builder.environment().putAll(environment);
        DaemonProcess daemon = new DaemonProcess(builder.start());
        daemon.awaitReady();
        return daemon;
    }

    /** The launcher with stderr merged into stdout and none of the caller's edgestream or Greengrass variables. */
    static ProcessBuilder launcher(Path directory, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toAbsolutePath().toString());
        Collections.addAll(command, args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("STREAM_MANAGER_")
                || key.equals("AWS_CONTAINER_AUTHORIZATION_TOKEN") || key.equals("LOG_LEVEL"));
        return builder;
    }

    final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;
    int port;

    DaemonProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::collect, "daemon-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended: its pipe is closed
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    public Process process() {
        return process;
    }

    /** The TCP port it listens on. */
    public int port() {
        return port;
    }

    /** The port of its HTTP APIs, from the line it logged when it started listening there. */
    public synchronized int httpPort() {
        for (String line : lines) {
            Matcher listening = HTTP_LISTENING.matcher(line);
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
        }
        throw new AssertionError("the daemon logged no HTTP port; its output:\n" + String.join("\n", lines));
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, and waits (bounded) until the process is gone. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the daemon (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
    }

    /** Its resident set size now, from /proc (VmRSS), in bytes. */
    public long rssBytes() throws IOException {
        return status("VmRSS");
    }

    /**
     * The anonymous part of its resident set (RssAnon: heap, direct buffers, the JVM's own), in bytes; the rest of
     * VmRSS is mapped file pages (the store's segments), which the kernel reclaims as it needs.
     */
    public long rssAnonBytes() throws IOException {
        return status("RssAnon");
    }

    private long status(String field) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, without closing our end of its output as {@link Process#destroy()} would. */
    public void terminate() {
        process.toHandle().destroy();
    }

    synchronized void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            for (String line : lines) {
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    port = Integer.parseInt(ready.group(1));
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                throw new AssertionError("the daemon did not report ready (" + (ended ? "it exited" : "timeout")
                        + "); its output:\n" + String.join("\n", lines));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** What it printed so far, without waiting. */
    public synchronized List<String> outputSoFar() {
        return List.copyOf(lines);
    }

    /** What it printed, once it ended (waits up to 5 s for that). */
    public synchronized List<String> output() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!ended && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
        return List.copyOf(lines);
    }
}
