package io.github.edgestream.exporter.kinesis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * A kinesalite (an in-memory Kinesis emulator on Node.js) on 127.0.0.1 for tests, one process per instance, with a
 * client to create streams and read back what arrived. Shipped in this module's test-jar for the modules that export
 * to Kinesis end to end.
 *
 * <p><b>Requirements.</b>
 * <ul>
 *   <li>Node.js with npm on the PATH (CI has Node 20). Without it, {@link #start()} fails saying so.</li>
 *   <li>The AWS SDK must speak JSON, not CBOR: with CBOR, GetRecords fails to unmarshall kinesalite's answers.
 *       Set the system property {@code aws.cborEnabled=false} in the test JVM (surefire
 *       {@code <systemPropertyVariables>}, as this module's pom does) or the environment variable
 *       {@code CBOR_ENABLED=false}. {@link #start()} refuses to run without one of them. The setting is
 *       JVM-wide, so the exporters under test speak JSON too.</li>
 *   <li>The first start installs kinesalite 3.3.3 with {@code npm ci} from the package registry (a few seconds);
 *       later starts reuse it while the lock file is unchanged.</li>
 * </ul>
 *
 * <p><b>Files.</b> {@code package.json}, {@code package-lock.json} and {@code kinesalite-loopback.js} (from
 * {@code src/test/js}) travel as resources of the test classes, and are extracted into a work directory: the system
 * property {@value #WORK_DIR_PROPERTY} if set (this module's pom sets {@code target/kinesalite}), else
 * {@code target/kinesalite} under the module being tested (surefire's {@code basedir}, else the working directory).
 * {@code npm-ci.log} there holds npm's output.
 *
 * <p><b>Lifecycle.</b> {@link #start()} runs {@code node kinesalite-loopback.js 0}, which binds an ephemeral port on
 * 127.0.0.1 and prints it; {@link #close()} stops the process (SIGTERM) and waits for it to exit. Share one instance
 * per test class ({@code @BeforeAll}/{@code @AfterAll}): it starts in about a second, and streams live in memory, so
 * give each test its own stream names. A JVM that dies without closing it takes it along (the launcher exits when
 * its stdin closes, and a shutdown hook stops it too).
 *
 * <p>Thread-safe: the client is thread-safe and the rest is immutable after {@link #start()}.
 */
public final class Kinesalite implements AutoCloseable {

    /** System property naming the directory to install kinesalite into. */
    public static final String WORK_DIR_PROPERTY = "kinesalite.workDir";

    private static final String RESOURCES = "/io/github/edgestream/exporter/kinesis/kinesalite/";
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "kinesalite-loopback.js");
    private static final String STAMP = ".installed-lock.sha256";
    private static final Pattern LISTENING = Pattern.compile("kinesalite listening on 127\\.0\\.0\\.1:(\\d+)\\b.*");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int OUTPUT_LINES_KEPT = 40;
    private static final Object INSTALLING = new Object();

    private final Process process;
    private final URI endpoint;
    private final KinesisClient client;
    private final Thread shutdownHook;
    private final Thread outputReader;

    private Kinesalite(Process process, int port, Thread outputReader) {
        this.process = process;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.outputReader = outputReader;
        this.client = KinesisClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("kinesalite", "kinesalite")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        this.shutdownHook = new Thread(process::destroy, "kinesalite-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Installs kinesalite if needed, starts it and waits until it listens.
     *
     * @throws IllegalStateException if CBOR is on, Node.js is missing, npm fails, or kinesalite does not start
     *                               within 30 s; the message says which and shows the output
     */
    public static Kinesalite start() {
        requireCborOff();
        requireNode();
        Path dir = workDir();
        install(dir);
        Process process;
        try {
            process = new ProcessBuilder("node", "kinesalite-loopback.js", "0", "--exit-with-stdin")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node kinesalite-loopback.js in " + dir + ": "
                    + e.getMessage(), e);
        }
        var port = new CompletableFuture<Integer>();
        var output = new ArrayDeque<String>();
        var reader = new Thread(() -> readOutput(process, port, output), "kinesalite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new Kinesalite(process, port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), reader);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            String why = e instanceof TimeoutException ? "did not print its port within " + START_TIMEOUT
                    : e.getCause().getMessage();
            throw new IllegalStateException("kinesalite (node kinesalite-loopback.js 0 in " + dir + ") " + why
                    + "; its output:\n" + lines(output), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting kinesalite", e);
        }
    }

    /** Where kinesalite listens, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The node process's id, for diagnostics. */
    public long pid() {
        return process.pid();
    }

    /** A client of this kinesalite: static dummy credentials, us-east-1, URL-connection HTTP, SDK retries on. */
    public KinesisClient client() {
        return client;
    }

    /** Creates a stream and waits until it is ACTIVE. */
    public void createStream(String name, int shards) {
        createStream(client, name, shards);
    }

    /** Every record of every shard of the stream: shards in shard-id order, each shard's records in its order. */
    public List<Record> readAll(String name) {
        return readAll(client, name);
    }

    /** The records of the stream by shard id, shards in shard-id order, each shard's records in its order. */
    public Map<String, List<Record>> readByShard(String name) {
        return readByShard(client, name);
    }

    /** As {@link #createStream(String, int)}, through any Kinesis client (LocalStack, for one). */
    public static void createStream(KinesisClient client, String name, int shards) {
        client.createStream(r -> r.streamName(name).shardCount(shards));
        client.waiter().waitUntilStreamExists(r -> r.streamName(name), o -> o
                .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(25)))
                .waitTimeout(Duration.ofSeconds(30)));
    }

    /** As {@link #readAll(String)}, through any Kinesis client (LocalStack, for one). */
    public static List<Record> readAll(KinesisClient client, String name) {
        var records = new ArrayList<Record>();
        readByShard(client, name).values().forEach(records::addAll);
        return records;
    }

    /**
     * As {@link #readByShard(String)}, through any Kinesis client: per shard, GetShardIterator at TRIM_HORIZON, then
     * GetRecords until a page comes back empty (right for an emulator, where everything put is readable at once).
     */
    public static Map<String, List<Record>> readByShard(KinesisClient client, String name) {
        var shards = new ArrayList<Shard>();
        String nextToken = null;
        do {
            String token = nextToken;
            ListShardsResponse page = client.listShards(r -> {
                if (token == null) {
                    r.streamName(name);
                } else {
                    r.nextToken(token);
                }
            });
            shards.addAll(page.shards());
            nextToken = page.nextToken();
        } while (nextToken != null);
        shards.sort(Comparator.comparing(Shard::shardId));

        var byShard = new LinkedHashMap<String, List<Record>>();
        for (Shard shard : shards) {
            var records = new ArrayList<Record>();
            String iterator = client.getShardIterator(r -> r.streamName(name).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = client.getRecords(r -> r.shardIterator(current));
                records.addAll(page.records());
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
            byShard.put(shard.shardId(), List.copyOf(records));
        }
        return byShard;
    }

    /** Stops kinesalite and waits for the process to exit. Idempotent. */
    @Override
    public void close() {
        client.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            outputReader.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void requireCborOff() {
        if (!SdkSystemSetting.CBOR_ENABLED.getBooleanValue().equals(Optional.of(false))) {
            throw new IllegalStateException("Kinesalite needs the AWS SDK to speak JSON to kinesalite (with CBOR,"
                    + " GetRecords cannot unmarshall its answers): set the system property aws.cborEnabled=false"
                    + " for the test JVM (surefire <systemPropertyVariables>) or the environment variable"
                    + " CBOR_ENABLED=false");
        }
    }

    private static void requireNode() {
        try {
            run(List.of("node", "--version"), Path.of("."), Optional.empty(), COMMAND_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Kinesalite needs Node.js with npm on the PATH (CI has Node 20): "
                    + e.getMessage(), e);
        }
    }

    private static Path workDir() {
        String configured = System.getProperty(WORK_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String module = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(module, "target", "kinesalite").toAbsolutePath();
    }

    /** Extracts the files and runs {@code npm ci} unless node_modules matches the lock file already. */
    private static void install(Path dir) {
        synchronized (INSTALLING) {
            try {
                Files.createDirectories(dir);
                // another JVM (a parallel surefire fork) may install into the same directory
                try (var lockFile = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                        var lock = lockFile.lock()) {
                    for (String name : FILES) {
                        byte[] content = resource(name);
                        Path file = dir.resolve(name);
                        if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), content)) {
                            Files.write(file, content);
                        }
                    }
                    String lockHash = sha256(resource("package-lock.json"));
                    Path stamp = dir.resolve(STAMP);
                    if (Files.isRegularFile(dir.resolve("node_modules/kinesalite/package.json"))
                            && Files.isRegularFile(stamp)
                            && Files.readString(stamp).strip().equals(lockHash)) {
                        return;
                    }
                    Files.deleteIfExists(stamp);
                    run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), dir,
                            Optional.of(dir.resolve("npm-ci.log")), INSTALL_TIMEOUT);
                    Files.writeString(stamp, lockHash + "\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install kinesalite in " + dir, e);
            }
        }
    }

    /** Runs a command to completion; output to {@code log} (or discarded), which the failure message shows. */
    private static void run(List<String> command, Path dir, Optional<Path> log, Duration timeout) {
        Process process;
        try {
            var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.redirectOutput(log.isPresent() ? ProcessBuilder.Redirect.to(log.get().toFile())
                    : ProcessBuilder.Redirect.DISCARD);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException(String.join(" ", command) + " in " + dir + " did not finish within "
                        + timeout + logTail(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " in " + dir + " exited with "
                    + process.exitValue() + logTail(log));
        }
    }

    private static void readOutput(Process process, CompletableFuture<Integer> port, Deque<String> output) {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > OUTPUT_LINES_KEPT) {
                        output.removeFirst();
                    }
                }
                var listening = LISTENING.matcher(line);
                if (listening.matches()) {
                    port.complete(Integer.parseInt(listening.group(1)));
                }
            }
        } catch (IOException e) {
            // the process is gone; handled below
        }
        try {
            int exit = process.waitFor();
            port.completeExceptionally(new IllegalStateException("exited with " + exit + " before listening"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String lines(Deque<String> output) {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    private static String logTail(Optional<Path> log) {
        if (log.isEmpty() || !Files.isRegularFile(log.get())) {
            return "";
        }
        try {
            var all = Files.readAllLines(log.get(), StandardCharsets.UTF_8);
            return "; the end of " + log.get() + ":\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - OUTPUT_LINES_KEPT), all.size()));
        } catch (IOException e) {
            return "; " + log.get() + " is unreadable: " + e.getMessage();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Kinesalite.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the classpath"
                        + " (it comes from src/test/js of exporter-kinesis, in its test-jar)");
            }
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
