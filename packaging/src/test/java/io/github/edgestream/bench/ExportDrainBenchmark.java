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
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.SystemScheduler;
import io.github.edgestream.exporter.kinesis.Kinesalite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Drains a backlog of N messages of 1 KiB from a File stream to Kinesis (kinesalite on loopback) through the export
 * runtime, against its ceiling measured in the same run: a plain AWS SDK {@code PutRecords} loop, 500 records per
 * call, over the same payloads, with a client built the same way (URL-connection HTTP, JSON). Rounds alternate so
 * drift hits both sides alike.
 *
 * <pre>
 * mvn -q -Pbench -pl packaging test-compile exec:exec -Dbench.main=io.github.edgestream.bench.ExportDrainBenchmark \
 *     -Dbench.jvm="-Daws.cborEnabled=false -Dkinesalite.workDir=target/kinesalite" -Dbench.args="100000 3"
 * </pre>
 * Arguments: messages per round, rounds. Not thread-safe; a main program.
 */
public final class ExportDrainBenchmark {

    private static final int PAYLOAD = 1024;
    private static final int CALL = 500;

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.setProperty("aws.accessKeyId", "bench");
        System.setProperty("aws.secretAccessKey", "bench");
        List<byte[]> payloads = payloads(messages);
        try (Kinesalite kinesalite = Kinesalite.start()) {
            System.out.printf("messages per round: %d x %d bytes; kinesalite at %s%n", messages, PAYLOAD,
                    kinesalite.endpoint());
            warmUp(kinesalite, payloads.subList(0, Math.min(5_000, messages)));
            for (int round = 1; round <= rounds; round++) {
                double plain = plainLoop(kinesalite, payloads, "plain-" + round);
                double edgestream = drain(kinesalite, payloads, "drain-" + round);
                System.out.printf("round %d: plain PutRecords loop %,.0f msg/s; edgestream export %,.0f msg/s;"
                        + " ratio %.0f%%%n", round, plain, edgestream, 100 * edgestream / plain);
            }
        }
    }

    private static List<byte[]> payloads(int count) {
        var random = new SplittableRandom(42);
        var payloads = new ArrayList<byte[]>(count);
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[PAYLOAD];
            random.nextBytes(payload);
            payloads.add(payload);
        }
        return payloads;
    }

    private static void warmUp(Kinesalite kinesalite, List<byte[]> payloads) throws Exception {
        plainLoop(kinesalite, payloads, "warm-plain");
        drain(kinesalite, payloads, "warm-drain");
    }

    /** The ceiling: PutRecords calls of 500 records, one after another, as fast as they go. */
    private static double plainLoop(Kinesalite kinesalite, List<byte[]> payloads, String stream) {
        kinesalite.createStream(stream, 1);
        try (KinesisClient client = KinesisClient.builder().endpointOverride(kinesalite.endpoint())
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build()) {
            long start = System.nanoTime();
            for (int from = 0; from < payloads.size(); from += CALL) {
                var entries = new ArrayList<PutRecordsRequestEntry>(CALL);
                for (byte[] payload : payloads.subList(from, Math.min(from + CALL, payloads.size()))) {
                    entries.add(PutRecordsRequestEntry.builder().data(SdkBytes.fromByteArray(payload))
                            .partitionKey(UUID.randomUUID().toString()).build());
                }
                var response = client.putRecords(r -> r.streamName(stream).records(entries));
                if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                    throw new IllegalStateException("kinesalite refused records: " + response);
                }
            }
            return payloads.size() / seconds(start);
        }
    }

    /** The backlog is in the stream before the export exists; the clock runs from adding it to the last delivery. */
    private static double drain(Kinesalite kinesalite, List<byte[]> payloads, String stream) throws Exception {
        kinesalite.createStream(stream, 1);
        Path root = Files.createTempDirectory("export-bench");
        var destination = new DestinationSettings(Optional.of(kinesalite.endpoint()), Optional.of("us-east-1"),
                Duration.ofSeconds(30));
        var settings = ExportRuntimeSettings.defaults()
                .withDestinations(Map.of(ExportKind.KINESIS, destination));
        var executor = Executors.newFixedThreadPool(2);
        try (var scheduler = new SystemScheduler("bench-timer");
                var runtime = new ExportRuntime(settings, ExportRuntime.installedProviders(), Clock.systemUTC(),
                        scheduler, new SplittableRandom());
                var store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                        new StoreServices(Clock.systemUTC(), scheduler, executor, runtime.storeListener()))) {
            runtime.start(store);
            MessageStream messages = store.create(StreamDefinition.builder(stream, StrategyOnFull.REJECT_NEW_DATA)
                    .persistence(Persistence.FILE).maxSize(DataSize.ofGibibytes(1)).build());
            for (byte[] payload : payloads) {
                messages.append(payload);
            }
            long start = System.nanoTime();
            store.update(messages.definition().toBuilder().exports(List.of(new ExportConfig.Kinesis(
                    ExportSettings.of("to-kinesis"), stream))).build());
            long last = payloads.size() - 1;
            while (runtime.statuses(store.get(StreamName.of(stream)).definition()).get(0)
                    .lastExportedSequenceNumber() < last) {
                LockSupport.parkNanos(200_000);
            }
            return payloads.size() / seconds(start);
        } finally {
            executor.shutdownNow();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
