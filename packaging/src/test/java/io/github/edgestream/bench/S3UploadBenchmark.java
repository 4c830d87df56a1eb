package io.github.edgestream.bench;

import io.github.edgestream.core.export.ExportRuntime;
import io.github.edgestream.core.export.ExportRuntimeSettings;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.SystemScheduler;
import io.github.edgestream.exporter.s3.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads one large file (512 MiB by default) to S3Proxy through an S3 task (the export runtime and the S3 exporter,
 * parts streamed from disk), against its ceiling in the same run: a plain AWS SDK multipart upload of the same file
 * with the same client settings, 5 MiB parts read into memory one at a time, one after another. S3Proxy runs as a
 * separate JVM, so this JVM's heap holds only the uploader; a sampler records the peak heap in use above the level
 * before each upload. Rounds alternate.
 *
 * <pre>
 * mvn -q -Pbench -pl packaging test-compile exec:exec -Dbench.main=io.github.edgestream.bench.S3UploadBenchmark \
 *     -Dbench.args="512 2"
 * </pre>
 * Arguments: file size in MiB, rounds. Not thread-safe; a main program.
 */
public final class S3UploadBenchmark {

    private static final long PART = 5L << 20;

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
        Path work = Files.createDirectories(Path.of("target", "bench-s3")).toAbsolutePath();
        deleteExcept(work, "upload.bin");   // objects and stores of an earlier run
        Path file = bigFile(work.resolve("upload.bin"), mib);
        Process proxy = null;
        try {
            int port = freePort();
            proxy = startS3Proxy(work, port);
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            try (S3Client client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true)
                    .region(Region.US_EAST_1).credentialsProvider(S3ProxyServer.credentials())
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                client.createBucket(r -> r.bucket("bench"));
                System.out.printf("file %d MiB; S3Proxy (filesystem) at %s; max heap %d MiB%n", mib, endpoint,
                        Runtime.getRuntime().maxMemory() >> 20);
                for (int round = 1; round <= rounds; round++) {
                    String suffix = Integer.toString(round);
                    Result plain = measure(() -> plainMultipart(client, file, "plain-" + suffix));
                    Result task = measure(() -> taskUpload(endpoint, work, file, "task-" + suffix));
                    System.out.printf("round %d: plain SDK multipart %.1f MiB/s (heap +%d MiB); edgestream task"
                            + " %.1f MiB/s (heap +%d MiB); ratio %.0f%%%n", round, mib / plain.seconds,
                            plain.heapGrowth >> 20, mib / task.seconds, task.heapGrowth >> 20,
                            100 * plain.seconds / task.seconds);
                }
            }
        } finally {
            if (proxy != null) {
                proxy.destroy();
                proxy.waitFor();
            }
            deleteExcept(work, "upload.bin");
        }
    }

    private static void deleteExcept(Path directory, String keep) throws IOException {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .filter(path -> !path.equals(directory) && !path.getFileName().toString().equals(keep))
                    .forEach(path -> path.toFile().delete());
        }
    }

    private record Result(double seconds, long heapGrowth) {
    }

    private interface Upload {
        void run() throws Exception;
    }

    /** Times an upload and samples the heap in use every 2 ms, from a level taken after a GC. */
    private static Result measure(Upload upload) throws Exception {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long baseline = runtime.totalMemory() - runtime.freeMemory();
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                LockSupport.parkNanos(2_000_000);
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        upload.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        return new Result(seconds, Math.max(0, peak.get() - baseline));
    }

    /** The ceiling: what a program would write with the SDK alone. */
    private static void plainMultipart(S3Client client, Path file, String key) throws IOException {
        String uploadId = client.createMultipartUpload(r -> r.bucket("bench").key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        byte[] buffer = new byte[(int) PART];
        try (InputStream in = Files.newInputStream(file)) {
            for (int number = 1; ; number++) {
                int read = in.readNBytes(buffer, 0, buffer.length);
                if (read == 0) {
                    break;
                }
                int partNumber = number;
                String etag = client.uploadPart(r -> r.bucket("bench").key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) read),
                        RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(buffer, 0, read))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
        }
        client.completeMultipartUpload(r -> r.bucket("bench").key(key).uploadId(uploadId)
                .multipartUpload(u -> u.parts(parts)));
    }

    /** Through edgestream: a task appended to a stream with an s3TaskExecutor export, timed until it is done. */
    private static void taskUpload(URI endpoint, Path work, Path file, String key) throws Exception {
        Path root = Files.createTempDirectory(work, "store");
        var destination = new DestinationSettings(Optional.of(endpoint), Optional.of("us-east-1"),
                Duration.ofMinutes(5)).withOption("minPartSize", Long.toString(PART));
        var settings = ExportRuntimeSettings.defaults()
                .withDestinations(Map.of(ExportKind.S3_TASK_EXECUTOR, destination));
        var executor = Executors.newFixedThreadPool(2);
        try (var scheduler = new SystemScheduler("bench-timer");
                var runtime = new ExportRuntime(settings, ExportRuntime.installedProviders(), Clock.systemUTC(),
                        scheduler, new SplittableRandom());
                var store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                        new StoreServices(Clock.systemUTC(), scheduler, executor, runtime.storeListener()))) {
            runtime.start(store);
            var stream = store.create(StreamDefinition.builder("uploads", StrategyOnFull.REJECT_NEW_DATA)
                    .persistence(Persistence.FILE)
                    .exports(List.of(new ExportConfig.S3TaskExecutor(ExportSettings.of("to-s3"), Optional.empty(),
                            Optional.empty())))
                    .build());
            String task = "{\"inputUrl\":\"" + file.toUri() + "\",\"bucket\":\"bench\",\"key\":\"" + key + "\"}";
            stream.append(task.getBytes(StandardCharsets.UTF_8));
            var definition = store.get(StreamName.of("uploads")).definition();
            int failures = 0;
            while (runtime.statuses(definition).get(0).lastExportedSequenceNumber() < 0) {
                var status = runtime.statuses(definition).get(0);
                if (status.skippedMessages() > 0) {
                    throw new IllegalStateException("the upload failed: " + status.errorMessage());
                }
                if (status.consecutiveFailures() > failures) {
                    failures = status.consecutiveFailures();
                    System.out.println("  (attempt " + failures + " failed and is retried: " + status.errorMessage()
                            .orElse("") + ")");
                }
                LockSupport.parkNanos(1_000_000);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static Path bigFile(Path path, int mib) throws IOException {
        if (Files.exists(path) && Files.size(path) == ((long) mib << 20)) {
            return path;
        }
        var random = new SplittableRandom(1);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return path;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** S3Proxy in a JVM of its own (this one's class path), objects on disk under {@code work}. */
    private static Process startS3Proxy(Path work, int port) throws Exception {
        Path properties = work.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + S3ProxyServer.IDENTITY,
                "s3proxy.credential=" + S3ProxyServer.CREDENTIAL,
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=" + S3ProxyServer.IDENTITY,
                "jclouds.credential=" + S3ProxyServer.CREDENTIAL,
                "jclouds.filesystem.basedir=" + Files.createDirectories(work.resolve("store")),
                ""));
        // S3Proxy replaces System.err with a stream that refuses writes: slf4j-simple must log to stdout
        Process process = new ProcessBuilder("java", "-Dorg.slf4j.simpleLogger.logFile=System.out",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                "org.gaul.s3proxy.Main", "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("s3proxy.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return process;
            } catch (IOException notYet) {
                LockSupport.parkNanos(50_000_000);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not listen on " + port + "; see " + work.resolve("s3proxy.log"));
    }
}
