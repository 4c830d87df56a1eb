package io.github.edgestream.exporter.iotanalytics;

import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.exporter.common.ExporterContractTest;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The exporter contract against a loopback endpoint that accepts every message, as IoT Analytics answers. */
class IotAnalyticsExporterContractTest extends ExporterContractTest {

    private final ScriptedHttpServer server = ScriptedHttpServer.start()
            .answerByDefault(ScriptedHttpServer.Answer.of(200, "{\"batchPutMessageErrorEntries\":[]}"));

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected ExporterProvider provider() {
        return new IotAnalyticsExporterProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("test", "test")));
    }

    @Override
    protected ExportConfig healthyConfig() {
        return new ExportConfig.IotAnalytics(ExportSettings.of("to-analytics"), "edge_channel", Optional.of("gw1-"));
    }

    @Override
    protected DestinationSettings healthyDestination() {
        return loopback(server.uri());
    }

    @Override
    protected byte[] validPayload(int index) {
        return ("{\"reading\":" + index + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected int receivedCount() throws Exception {
        return server.requests().stream().mapToInt(IotAnalyticsExporterTest::messageCount).sum();
    }
}
