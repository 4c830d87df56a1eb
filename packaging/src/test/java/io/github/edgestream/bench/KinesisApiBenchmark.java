package io.github.edgestream.bench;

import static io.github.edgestream.bench.Bench.deleteTree;
import static io.github.edgestream.bench.Bench.percentile;
import static io.github.edgestream.bench.Bench.processStats;
import static io.github.edgestream.bench.Bench.seconds;
import static io.github.edgestream.bench.Bench.startDaemon;
import static io.github.edgestream.bench.Bench.statsSince;

import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.exporter.kinesis.Kinesalite;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The daemon's Kinesis API (issue 12) against kinesalite, and against the daemon's own Greengrass protocol, in one
 * JVM: one in-process {@link Daemon} (File streams, default settings; its Kinesis API on the HTTP port, signed with
 * the all-permissions credential {@code edgestream} / the daemon's token) and one kinesalite process (Node.js).
 * Every Kinesis stream has 1 shard; every record is 1 KiB of random bytes.
 *
 * <ol>
 *   <li>(a) PutRecords of 500 records (distinct partition keys), one sync {@link KinesisClient} sending one request
 *       at a time, for N seconds: records/s, MiB/s, edgestream / kinesalite.</li>
 *   <li>(b) GetRecords of everything (a) wrote, from TRIM_HORIZON, Limit 10000, following NextShardIterator.</li>
 *   <li>(c) The Greengrass protocol with the same payloads ({@link GreengrassLoad}): one
 *       {@link StreamManagerClient} appending with 64 appendMessage requests in flight (a semaphore; the client
 *       pipelines them on its one connection), for N seconds; read back with readMessages (max 10,000, one request at
 *       a time); then appendBatch (extension) of 500 records, one batch at a time, as PutRecords is sent, and read
 *       back the same way.</li>
 *   <li>(d) PutRecord latency: one client, one request at a time, 2,000 requests after 1,000 of warm-up; for
 *       reference, appendMessage of the Greengrass client the same way.</li>
 * </ol>
 * The same client settings for both Kinesis servers: sync client, UrlConnectionHttpClient, JSON
 * ({@code aws.cborEnabled=false}, set here), no retries. Each target is warmed up first (puts and reads for a
 * quarter of a phase, at least 2 s). A write phase stops early at {@code maxRecords} (default 200,000, about
 * 200 MiB) so it fits in a default stream (256 MiB, RejectNewData); every write phase and each target has its own
 * stream.
 *
 * <pre>
 * mvn -q -Pbench -pl packaging test-compile exec:exec -Dbench.main=io.github.edgestream.bench.KinesisApiBenchmark \
 *     -Dbench.args="8"
 * </pre>
 * Arguments: seconds per phase (default 8), maxRecords per write phase (default 200000), latency requests (default
 * 2000). With {@code -Dbench.greengrassFirst=true} (e.g. {@code -Dbench.jvm=-Dbench.greengrassFirst=true}) the
 * Greengrass phases (c) run once more before (a), on their own streams, to tell the JVM's state after the Kinesis
 * phases from the order of the phases; the tables keep the figures of (c) after (b). Not thread-safe; a main
 * program.
 */
public final class KinesisApiBenchmark {

    private static final int PAYLOAD = 1024;
    private static final int PUT_RECORDS = 500;
    private static final int GET_LIMIT = 10_000;
    private static final int POOL = 4096;
    private static final String SHARD = "shardId-000000000000";
    private static final byte[] FAILED_NONE = "\"FailedRecordCount\":0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEXT_ITERATOR = "\"NextShardIterator\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQUENCE_NUMBER = "\"SequenceNumber\"".getBytes(StandardCharsets.US_ASCII);

    private final double seconds;
    private final long maxRecords;
    private final int latencyRequests;
    private final byte[][] payloads = Bench.payloads(POOL, PAYLOAD);
    private long keys;
    private int next;

    private KinesisApiBenchmark(double seconds, long maxRecords, int latencyRequests) {
        this.seconds = seconds;
        this.maxRecords = maxRecords;
        this.latencyRequests = latencyRequests;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
        long maxRecords = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        int latencyRequests = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        // before any SDK client exists: kinesalite speaks JSON only, and both servers get the same protocol
        System.setProperty("aws.cborEnabled", "false");
        // slf4j-simple: the daemon's INFO lines (stream created, segment mapped) would interleave with the figures
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (System.getProperty(Kinesalite.WORK_DIR_PROPERTY) == null) {
            System.setProperty(Kinesalite.WORK_DIR_PROPERTY, Path.of("target", "kinesalite").toAbsolutePath()
                    .toString());
        }
        var benchmark = new KinesisApiBenchmark(seconds, maxRecords, latencyRequests);
        int rounds = Integer.getInteger("bench.interference", 0);
        if (rounds > 0) {
            benchmark.interference(rounds);
        } else {
            benchmark.run();
        }
    }

    /**
     * Diagnosis of the readMessages drop (BENCHMARKS.md), no kinesalite: one daemon, a Greengrass stream of
     * maxRecords appended in batches and a Kinesis stream of maxRecords put with the raw client; then readMessages of
     * the whole Greengrass stream three times, GetRecords of the whole Kinesis stream with the raw client (server
     * work, almost no client garbage) twice, readMessages three times, GetRecords with the SDK client (server work
     * and ~14 MB of client garbage a page) twice, readMessages three times; {@code rounds} times over.
     */
    private void interference(int rounds) throws Exception {
        Path root = Files.createTempDirectory("kinesis-api-bench");
        String token = "bench-token-" + UUID.randomUUID();
        try (Daemon daemon = startDaemon(root, token, "");
                KinesisClient edge = kinesis(URI.create("http://127.0.0.1:" + daemon.httpPort().orElseThrow()),
                        "edgestream", token);
                StreamManagerClient gg = Bench.greengrassClient(daemon, token)) {
            GreengrassLoad greengrass = greengrassLoad(gg);
            var raw = new RawTarget(URI.create("http://127.0.0.1:" + daemon.httpPort().orElseThrow()), "edgestream",
                    token);
            greengrass.createStream("i-gg");
            Throughput batches = greengrass.appendBatches("i-gg", 60, PUT_RECORDS);
            Kinesalite.createStream(edge, "i-edge", 1);
            Throughput puts = rawPutRecords(raw, "i-edge", 60);
            System.out.printf("interference: appendBatch %s; raw PutRecords %s%n", batches, puts);
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < (round == 1 ? Integer.getInteger("bench.interference.firstReads", 3) : 3); i++) {
                    long[] at = processStats();
                    Throughput read = greengrass.readMessages("i-gg", 0, batches.records());
                    System.out.printf("round %d readMessages, before GetRecords      %s%s%n", round, read,
                            statsSince(at));
                }
                for (int i = 0; i < 2; i++) {
                    System.out.printf("round %d raw GetRecords                       %s%n", round,
                            rawGetRecords(raw, edge, "i-edge", puts.records()));
                }
                for (int i = 0; i < 3; i++) {
                    long[] at = processStats();
                    Throughput read = greengrass.readMessages("i-gg", 0, batches.records());
                    System.out.printf("round %d readMessages, after raw GetRecords   %s%s%n", round, read,
                            statsSince(at));
                }
                for (int i = 0; i < 2; i++) {
                    System.out.printf("round %d SDK GetRecords                       %s%n", round,
                            getRecords(edge, "i-edge", puts.records()));
                }
                for (int i = 0; i < 3; i++) {
                    long[] at = processStats();
                    Throughput read = greengrass.readMessages("i-gg", 0, batches.records());
                    System.out.printf("round %d readMessages, after SDK GetRecords   %s%s%n", round, read,
                            statsSince(at));
                }
            }
        } finally {
            deleteTree(root);
        }
    }

    private record Latency(double p50Micros, double p99Micros, double meanMicros) {
        @Override
        public String toString() {
            return String.format("p50 %,.0f us, p99 %,.0f us, mean %,.0f us", p50Micros, p99Micros, meanMicros);
        }
    }

    private void run() throws Exception {
        Path root = Files.createTempDirectory("kinesis-api-bench");
        String token = "bench-token-" + UUID.randomUUID();
        try (Daemon daemon = startDaemon(root, token, "");
                Kinesalite kinesalite = Kinesalite.start();
                KinesisClient edge = kinesis(URI.create("http://127.0.0.1:" + daemon.httpPort().orElseThrow()),
                        "edgestream", token);
                KinesisClient kin = kinesis(kinesalite.endpoint(), "bench", "bench-secret-0000");
                StreamManagerClient gg = Bench.greengrassClient(daemon, token)) {
            GreengrassLoad greengrass = greengrassLoad(gg);
            System.out.printf("edgestream %s: Greengrass protocol on tcp %d, Kinesis API on http %d; kinesalite at %s"
                            + " (pid %d)%nphase %.1f s, at most %,d records per write phase, %d latency requests,"
                            + " %d x %d-byte records%n", Daemon.version(), daemon.port(),
                    daemon.httpPort().orElseThrow(), kinesalite.endpoint(), kinesalite.pid(), seconds, maxRecords,
                    latencyRequests, PUT_RECORDS, PAYLOAD);

            // warm-up: both Kinesis servers and the Greengrass protocol, a quarter of a phase each (at least 2 s)
            double warm = Math.max(2, seconds / 4);
            for (var target : List.of(Map.entry("edge", edge), Map.entry("kin", kin))) {
                String stream = "warm-" + target.getKey();
                Kinesalite.createStream(target.getValue(), stream, 1);
                Throughput put = putRecords(target.getValue(), stream, warm);
                Throughput get = getRecords(target.getValue(), stream, put.records());
                System.out.printf("warm-up %-4s PutRecords %s; GetRecords %s%n", target.getKey(), put, get);
            }
            greengrass.createStream("warm-gg");
            Throughput warmAppend = greengrass.appendInFlight("warm-gg", warm);
            greengrass.readMessages("warm-gg", 0, warmAppend.records());
            greengrass.createStream("warm-gg-batch");
            Throughput warmBatch = greengrass.appendBatches("warm-gg-batch", warm, PUT_RECORDS);
            greengrass.readMessages("warm-gg-batch", 0, warmBatch.records());
            System.out.printf("warm-up gg   appendMessage %s; appendBatch %s%n", warmAppend, warmBatch);

            boolean greengrassFirst = Boolean.getBoolean("bench.greengrassFirst");
            if (greengrassFirst) {
                // diagnosis of the readMessages drop: the Greengrass phases once before the Kinesis phases as well
                greengrassPhases(greengrass, "(c, before (a))", "-first");
            }

            // (a) and (b)
            Kinesalite.createStream(edge, "put-edge", 1);
            Kinesalite.createStream(kin, "put-kin", 1);
            Throughput putEdge = putRecords(edge, "put-edge", seconds);
            System.out.printf("(a) PutRecords edgestream  %s%n", putEdge);
            Throughput putKin = putRecords(kin, "put-kin", seconds);
            System.out.printf("(a) PutRecords kinesalite  %s%n", putKin);
            Throughput getEdge = getRecords(edge, "put-edge", putEdge.records());
            System.out.printf("(b) GetRecords edgestream  %s%n", getEdge);
            Throughput getKin = getRecords(kin, "put-kin", putKin.records());
            System.out.printf("(b) GetRecords kinesalite  %s%n", getKin);

            // (c); with -Dbench.greengrassFirst=true it ran before (a) too, and the table takes the later figures
            Throughput[] ggPhases = greengrassPhases(greengrass, greengrassFirst ? "(c, after (a) and (b))" : "(c)",
                    greengrassFirst ? "-again" : "");
            Throughput ggAppend = ggPhases[0];
            Throughput ggRead = ggPhases[1];
            Throughput ggBatch = ggPhases[2];
            Throughput ggBatchRead = ggPhases[3];

            // (d)
            Kinesalite.createStream(edge, "latency-edge", 1);
            Kinesalite.createStream(kin, "latency-kin", 1);
            putRecordLatency(edge, "latency-edge", latencyRequests / 2);
            putRecordLatency(kin, "latency-kin", latencyRequests / 2);
            Latency latEdge = putRecordLatency(edge, "latency-edge", latencyRequests);
            System.out.printf("(d) PutRecord edgestream  %s%n", latEdge);
            Latency latKin = putRecordLatency(kin, "latency-kin", latencyRequests);
            System.out.printf("(d) PutRecord kinesalite  %s%n", latKin);
            greengrass.createStream("latency-gg");
            greengrass.appendNanos("latency-gg", latencyRequests / 2);
            Latency latGg = latency(greengrass.appendNanos("latency-gg", latencyRequests));
            System.out.printf("(d) appendMessage (Greengrass, for reference)  %s%n", latGg);

            // (e) and (f): the raw client
            URI edgeUri = URI.create("http://127.0.0.1:" + daemon.httpPort().orElseThrow());
            var rawEdge = new RawTarget(edgeUri, "edgestream", token);
            var rawKin = new RawTarget(kinesalite.endpoint(), "bench", "bench-secret-0000");
            for (var target : List.of(Map.entry(rawEdge, edge), Map.entry(rawKin, kin))) {
                String stream = "warm-raw-" + target.getKey().keyId();
                Kinesalite.createStream(target.getValue(), stream, 1);
                Throughput put = rawPutRecords(target.getKey(), stream, warm);
                Throughput get = rawGetRecords(target.getKey(), target.getValue(), stream, put.records());
                System.out.printf("warm-up raw %-10s PutRecords %s; GetRecords %s%n", target.getKey().keyId(), put,
                        get);
            }
            Kinesalite.createStream(edge, "raw-put-edge", 1);
            Kinesalite.createStream(kin, "raw-put-kin", 1);
            Throughput rawPutEdge = rawPutRecords(rawEdge, "raw-put-edge", seconds);
            System.out.printf("(e) raw PutRecords edgestream  %s%n", rawPutEdge);
            Throughput rawPutKin = rawPutRecords(rawKin, "raw-put-kin", seconds);
            System.out.printf("(e) raw PutRecords kinesalite  %s%n", rawPutKin);
            Throughput rawGetEdge = rawGetRecords(rawEdge, edge, "raw-put-edge", rawPutEdge.records());
            System.out.printf("(f) raw GetRecords edgestream  %s%n", rawGetEdge);
            Throughput rawGetKin = rawGetRecords(rawKin, kin, "raw-put-kin", rawPutKin.records());
            System.out.printf("(f) raw GetRecords kinesalite  %s%n", rawGetKin);

            table(putEdge, putKin, getEdge, getKin, ggAppend, ggRead, ggBatch, ggBatchRead, latEdge, latKin, latGg);
            rawTable(putEdge, putKin, getEdge, getKin, rawPutEdge, rawPutKin, rawGetEdge, rawGetKin, ggAppend, ggRead,
                    ggBatch, ggBatchRead);
        } finally {
            deleteTree(root);
        }
    }

    /**
     * The Greengrass side with the Kinesis API's stream defaults (File, 256 MiB, RejectNewData, no flushOnWrite), cut
     * at maxRecords; no trace.
     */
    private GreengrassLoad greengrassLoad(StreamManagerClient gg) {
        return new GreengrassLoad(gg, this::payload, maxRecords, StreamDefinition.DEFAULT_MAX_SIZE, false, false);
    }

    /** (c): appendMessage x64 in flight, its read-back, appendBatch of 500, its read-back; in that order. */
    private Throughput[] greengrassPhases(GreengrassLoad gg, String label, String suffix) throws Exception {
        gg.createStream("gg-append" + suffix);
        Throughput ggAppend = gg.appendInFlight("gg-append" + suffix, seconds);
        System.out.printf("%s appendMessage x%d in flight %s%n", label, GreengrassLoad.IN_FLIGHT, ggAppend);
        Throughput ggRead = gg.readMessages("gg-append" + suffix, 0, ggAppend.records());
        System.out.printf("%s readMessages (max %d)   %s%n", label, GreengrassLoad.READ_LIMIT, ggRead);
        gg.createStream("gg-batch" + suffix);
        Throughput ggBatch = gg.appendBatches("gg-batch" + suffix, seconds, PUT_RECORDS);
        System.out.printf("%s appendBatch of %d         %s%n", label, PUT_RECORDS, ggBatch);
        Throughput ggBatchRead = gg.readMessages("gg-batch" + suffix, 0, ggBatch.records());
        System.out.printf("%s readMessages of batches   %s%n", label, ggBatchRead);
        return new Throughput[] {ggAppend, ggRead, ggBatch, ggBatchRead};
    }

    private static KinesisClient kinesis(URI endpoint, String key, String secret) {
        return KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
    }

    private byte[] payload() {
        byte[] payload = payloads[next];
        next = (next + 1) % POOL;
        return payload;
    }

    /** One PutRecords of 500 at a time until the time is up or maxRecords are in; records refused are counted. */
    private Throughput putRecords(KinesisClient client, String stream, double phaseSeconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (phaseSeconds * 1e9);
        long written = 0;
        long failed = 0;
        while (System.nanoTime() < deadline && written + PUT_RECORDS <= maxRecords) {
            var entries = new ArrayList<PutRecordsRequestEntry>(PUT_RECORDS);
            for (int i = 0; i < PUT_RECORDS; i++) {
                entries.add(PutRecordsRequestEntry.builder().data(SdkBytes.fromByteArrayUnsafe(payload()))
                        .partitionKey("pk-" + keys++).build());
            }
            PutRecordsResponse response = client.putRecords(r -> r.streamName(stream).records(entries));
            int refused = response.failedRecordCount() == null ? 0 : response.failedRecordCount();
            written += PUT_RECORDS - refused;
            failed += refused;
            if (refused > 0 && failed == refused) {
                System.out.printf("  %s refused %d records, e.g. %s%n", stream, refused, response.records().stream()
                        .filter(r -> r.errorCode() != null).findFirst().orElseThrow());
            }
        }
        return new Throughput(written, seconds(start), failed);
    }

    /** From TRIM_HORIZON, Limit 10000, following NextShardIterator until {@code expected} records came back. */
    private static Throughput getRecords(KinesisClient client, String stream, long expected) {
        long start = System.nanoTime();
        String iterator = client.getShardIterator(r -> r.streamName(stream).shardId(SHARD)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        long read = 0;
        int empty = 0;
        while (read < expected) {
            String at = iterator;
            GetRecordsResponse page = client.getRecords(r -> r.shardIterator(at).limit(GET_LIMIT));
            read += page.records().size();
            iterator = page.nextShardIterator();
            if (page.records().isEmpty() && ++empty > 100) {
                throw new IllegalStateException(stream + ": " + read + " of " + expected + " records came back");
            }
        }
        return new Throughput(read, seconds(start), 0);
    }

    /** PutRecord of one 1 KiB record, one request at a time. */
    private Latency putRecordLatency(KinesisClient client, String stream, int requests) {
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            SdkBytes data = SdkBytes.fromByteArrayUnsafe(payload());
            String key = "pk-" + keys++;
            long start = System.nanoTime();
            client.putRecord(r -> r.streamName(stream).partitionKey(key).data(data));
            nanos[i] = System.nanoTime() - start;
        }
        return latency(nanos);
    }

    /** p50, p99 and mean of one request at a time's nanoseconds (sorted here, in place). */
    private static Latency latency(long[] nanos) {
        Arrays.sort(nanos);
        return new Latency(percentile(nanos, 0.50) / 1e3, percentile(nanos, 0.99) / 1e3,
                Arrays.stream(nanos).average().orElse(0) / 1e3);
    }

    private static void table(Throughput putEdge, Throughput putKin, Throughput getEdge, Throughput getKin,
            Throughput ggAppend, Throughput ggRead, Throughput ggBatch, Throughput ggBatchRead, Latency latEdge,
            Latency latKin, Latency latGg) {
        System.out.println();
        System.out.println("| measure | edgestream Kinesis API | kinesalite | edgestream / kinesalite | target |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.printf("| (a) PutRecords 500 x 1 KiB, rec/s | %,.0f | %,.0f | %.1fx | >= 5x |%n",
                putEdge.perSecond(), putKin.perSecond(), putEdge.perSecond() / putKin.perSecond());
        System.out.printf("| (a) PutRecords, MiB/s | %.1f | %.1f | %.1fx | |%n",
                putEdge.mibPerSecond(), putKin.mibPerSecond(), putEdge.mibPerSecond() / putKin.mibPerSecond());
        System.out.printf("| (b) GetRecords Limit 10000, rec/s | %,.0f | %,.0f | %.1fx | >= 5x |%n",
                getEdge.perSecond(), getKin.perSecond(), getEdge.perSecond() / getKin.perSecond());
        System.out.printf("| (b) GetRecords, MiB/s | %.1f | %.1f | %.1fx | |%n",
                getEdge.mibPerSecond(), getKin.mibPerSecond(), getEdge.mibPerSecond() / getKin.mibPerSecond());
        System.out.printf("| (d) PutRecord p50, us | %,.0f | %,.0f | %.2fx | |%n",
                latEdge.p50Micros(), latKin.p50Micros(), latEdge.p50Micros() / latKin.p50Micros());
        System.out.printf("| (d) PutRecord p99, us | %,.0f | %,.0f | %.2fx | |%n",
                latEdge.p99Micros(), latKin.p99Micros(), latEdge.p99Micros() / latKin.p99Micros());
        System.out.printf("| (d) for reference: Greengrass appendMessage one at a time, p50 / p99 us | %,.0f / %,.0f"
                + " | | | |%n", latGg.p50Micros(), latGg.p99Micros());
        System.out.println();
        System.out.println("| measure | Greengrass protocol, rec/s | Kinesis API, rec/s | Kinesis API / Greengrass"
                + " | target |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.printf("| (c) append: appendMessage x%d in flight vs PutRecords | %,.0f | %,.0f | %.0f%% |"
                        + " >= 50%% |%n", GreengrassLoad.IN_FLIGHT, ggAppend.perSecond(), putEdge.perSecond(),
                100 * putEdge.perSecond() / ggAppend.perSecond());
        System.out.printf("| (c) read: readMessages max 10000 vs GetRecords | %,.0f | %,.0f | %.0f%% | >= 50%% |%n",
                ggRead.perSecond(), getEdge.perSecond(), 100 * getEdge.perSecond() / ggRead.perSecond());
        System.out.printf("| (c) append: appendBatch 500 (extension) vs PutRecords | %,.0f | %,.0f | %.0f%% | |%n",
                ggBatch.perSecond(), putEdge.perSecond(), 100 * putEdge.perSecond() / ggBatch.perSecond());
        System.out.printf("| (c) read: readMessages of the batches vs GetRecords | %,.0f | %,.0f | %.0f%% | |%n",
                ggBatchRead.perSecond(), getEdge.perSecond(), 100 * getEdge.perSecond() / ggBatchRead.perSecond());
    }

    /** Where and as whom the raw client signs: the endpoint and a credential. */
    private record RawTarget(URI endpoint, String keyId, String secret) {
    }

    /**
     * The bytes of one POST to {@code target}, signed by the SDK's {@link AwsV4HttpSigner} (service kinesis,
     * us-east-1, now): request line, the signed headers, Content-Length, then the body.
     */
    private static byte[] signedRequest(RawTarget target, String operation, byte[] body) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(target.endpoint().resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Kinesis_20131202." + operation)
                .putHeader("Content-Length", Integer.toString(body.length)).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(target.keyId(), target.secret()))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kinesis")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> headers.put(name, String.join(",", values)));
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("host"))) {
            head.append("Host: ").append(target.endpoint().getHost()).append(':').append(target.endpoint().getPort())
                    .append("\r\n");
        }
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /**
     * (e): one PutRecords of 500 records, built, signed and serialized once, sent again and again on one kept-alive
     * socket ({@link BenchHttp}) until the time is up or maxRecords are in. Any status but 200, or any refused
     * record, stops the run.
     */
    private Throughput rawPutRecords(RawTarget target, String stream, double phaseSeconds) throws IOException {
        Base64.Encoder base64 = Base64.getEncoder();
        StringBuilder json = new StringBuilder(PUT_RECORDS * 1450).append("{\"StreamName\":\"").append(stream)
                .append("\",\"Records\":[");
        for (int i = 0; i < PUT_RECORDS; i++) {
            json.append(i == 0 ? "" : ",").append("{\"Data\":\"").append(base64.encodeToString(payload()))
                    .append("\",\"PartitionKey\":\"k").append(i).append("\"}");
        }
        byte[] request = signedRequest(target, "PutRecords",
                json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        try (BenchHttp http = new BenchHttp(target.endpoint())) {
            long start = System.nanoTime();
            long deadline = start + (long) (phaseSeconds * 1e9);
            long written = 0;
            while (System.nanoTime() < deadline && written + PUT_RECORDS <= maxRecords) {
                http.exchange(request);
                if (http.status() != 200 || Bench.indexOf(http.body(), http.length(), FAILED_NONE, 0) < 0) {
                    throw new IllegalStateException(stream + ": PutRecords answered " + http.status() + " "
                            + http.bodyText());
                }
                written += PUT_RECORDS;
            }
            return new Throughput(written, seconds(start), 0);
        }
    }

    /**
     * (f): GetRecords from TRIM_HORIZON (the iterator from the SDK), Limit 10000, each request signed and sent on one
     * kept-alive socket, following NextShardIterator until {@code expected} records came back.
     */
    private static Throughput rawGetRecords(RawTarget target, KinesisClient sdk, String stream, long expected)
            throws IOException {
        long start = System.nanoTime();
        String iterator = sdk.getShardIterator(r -> r.streamName(stream).shardId(SHARD)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        long read = 0;
        int empty = 0;
        try (BenchHttp http = new BenchHttp(target.endpoint())) {
            while (read < expected) {
                byte[] body = ("{\"ShardIterator\":\"" + iterator + "\",\"Limit\":" + GET_LIMIT + "}")
                        .getBytes(StandardCharsets.UTF_8);
                http.exchange(signedRequest(target, "GetRecords", body));
                byte[] page = http.body();
                int at = Bench.indexOf(page, http.length(), NEXT_ITERATOR, 0);
                if (http.status() != 200 || at < 0) {
                    throw new IllegalStateException(stream + ": GetRecords answered " + http.status() + " "
                            + http.bodyText());
                }
                int from = at + NEXT_ITERATOR.length;
                int to = from;
                while (page[to] != '"') {
                    to++;
                }
                iterator = new String(page, from, to - from, StandardCharsets.US_ASCII);
                int records = 0;
                for (int i = Bench.indexOf(page, http.length(), SEQUENCE_NUMBER, 0); i >= 0;
                        i = Bench.indexOf(page, http.length(), SEQUENCE_NUMBER, i + SEQUENCE_NUMBER.length)) {
                    records++;
                }
                read += records;
                if (records == 0 && ++empty > 100) {
                    throw new IllegalStateException(stream + ": " + read + " of " + expected + " records came back");
                }
            }
        }
        return new Throughput(read, seconds(start), 0);
    }

    private static void rawTable(Throughput putEdge, Throughput putKin, Throughput getEdge, Throughput getKin,
            Throughput rawPutEdge, Throughput rawPutKin, Throughput rawGetEdge, Throughput rawGetKin,
            Throughput ggAppend, Throughput ggRead, Throughput ggBatch, Throughput ggBatchRead) {
        System.out.println();
        System.out.println("| measure, rec/s | edgestream, SDK client | kinesalite, SDK | ratio | edgestream, raw"
                + " client | kinesalite, raw | ratio | target |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        System.out.printf("| (a)/(e) PutRecords 500 x 1 KiB | %,.0f | %,.0f | %.1fx | %,.0f | %,.0f | %.1fx |"
                        + " >= 5x |%n", putEdge.perSecond(), putKin.perSecond(),
                putEdge.perSecond() / putKin.perSecond(),
                rawPutEdge.perSecond(), rawPutKin.perSecond(), rawPutEdge.perSecond() / rawPutKin.perSecond());
        System.out.printf("| (b)/(f) GetRecords Limit 10000 | %,.0f | %,.0f | %.1fx | %,.0f | %,.0f | %.1fx |"
                        + " >= 5x |%n", getEdge.perSecond(), getKin.perSecond(),
                getEdge.perSecond() / getKin.perSecond(),
                rawGetEdge.perSecond(), rawGetKin.perSecond(), rawGetEdge.perSecond() / rawGetKin.perSecond());
        System.out.println();
        System.out.println("| (g) measure | Greengrass protocol, rec/s | Kinesis API SDK | SDK / Greengrass"
                + " | Kinesis API raw | raw / Greengrass | target |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        System.out.printf("| append: appendMessage x%d in flight vs PutRecords | %,.0f | %,.0f | %.0f%% | %,.0f |"
                        + " %.0f%% | >= 50%% |%n", GreengrassLoad.IN_FLIGHT, ggAppend.perSecond(),
                putEdge.perSecond(), 100 * putEdge.perSecond() / ggAppend.perSecond(), rawPutEdge.perSecond(),
                100 * rawPutEdge.perSecond() / ggAppend.perSecond());
        System.out.printf("| append: appendBatch %d vs PutRecords | %,.0f | %,.0f | %.0f%% | %,.0f | %.0f%% | |%n",
                PUT_RECORDS, ggBatch.perSecond(), putEdge.perSecond(), 100 * putEdge.perSecond() / ggBatch.perSecond(),
                rawPutEdge.perSecond(), 100 * rawPutEdge.perSecond() / ggBatch.perSecond());
        System.out.printf("| read: readMessages max %d vs GetRecords | %,.0f | %,.0f | %.0f%% | %,.0f | %.0f%% |"
                        + " >= 50%% |%n", GET_LIMIT, ggRead.perSecond(), getEdge.perSecond(),
                100 * getEdge.perSecond() / ggRead.perSecond(), rawGetEdge.perSecond(),
                100 * rawGetEdge.perSecond() / ggRead.perSecond());
        System.out.printf("| read: readMessages of the batches vs GetRecords | %,.0f | %,.0f | %.0f%% | %,.0f |"
                        + " %.0f%% | |%n", ggBatchRead.perSecond(), getEdge.perSecond(),
                100 * getEdge.perSecond() / ggBatchRead.perSecond(), rawGetEdge.perSecond(),
                100 * rawGetEdge.perSecond() / ggBatchRead.perSecond());
    }
}
