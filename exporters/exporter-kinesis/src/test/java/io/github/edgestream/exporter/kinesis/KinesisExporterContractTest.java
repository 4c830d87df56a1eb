package io.github.edgestream.exporter.kinesis;

import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.exporter.common.ExporterContractTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The exporter contract against kinesalite: a two-shard stream that every test of the class writes to. */
class KinesisExporterContractTest extends ExporterContractTest {

    private static final String KINESIS_STREAM = "contract";

    private static Kinesalite kinesalite;

    @BeforeAll
    static void startKinesalite() {
        kinesalite = Kinesalite.start();
        kinesalite.createStream(KINESIS_STREAM, 2);
    }

    @AfterAll
    static void stopKinesalite() {
        if (kinesalite != null) {
            kinesalite.close();
        }
    }

    @Override
    protected ExporterProvider provider() {
        return new KinesisExporterProvider(Optional.of(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("contract", "contract"))));
    }

    @Override
    protected ExportConfig healthyConfig() {
        return new ExportConfig.Kinesis(ExportSettings.of("to-kinesis"), KINESIS_STREAM);
    }

    @Override
    protected DestinationSettings healthyDestination() {
        return loopback(kinesalite.endpoint());
    }

    @Override
    protected byte[] validPayload(int index) {
        return ("{\"reading\":" + index + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected int receivedCount() {
        return kinesalite.readAll(KINESIS_STREAM).size();
    }
}
