package io.github.edgestream.exporter.sitewise;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.exporter.common.ExporterContractTest;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import io.github.edgestream.exporter.common.ScriptedHttpServer.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The exporter rules, against a scripted SiteWise on loopback that accepts every entry. */
class SiteWiseExporterContractTest extends ExporterContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptedHttpServer siteWise = ScriptedHttpServer.start()
            .answerByDefault(Answer.of(200, "{\"errorEntries\":[]}"));

    @AfterEach
    void stopSiteWise() {
        siteWise.close();
    }

    @Override
    protected ExporterProvider provider() {
        return new SiteWiseExporterProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret")));
    }

    @Override
    protected ExportConfig healthyConfig() {
        return new ExportConfig.IotSiteWise(ExportSettings.of("to-sitewise"));
    }

    @Override
    protected DestinationSettings healthyDestination() {
        return loopback(siteWise.uri());
    }

    /** One double value of a property of its own, one second apart, as the JS SDK writes it. */
    @Override
    protected byte[] validPayload(int index) {
        long seconds = clock.instant().getEpochSecond() + index;
        return ("{\"entryId\":\"e" + index + "\",\"propertyAlias\":\"/contract/p" + index + "\",\"propertyValues\":"
                + "[{\"value\":{\"doubleValue\":" + index + "},\"timestamp\":{\"timeInSeconds\":" + seconds + "}}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Entries across every request body received so far. */
    @Override
    protected int receivedCount() throws IOException {
        int count = 0;
        for (var request : siteWise.requests()) {
            count += JSON.readTree(request.body()).path("entries").size();
        }
        return count;
    }
}
