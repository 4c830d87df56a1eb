package io.github.edgestream.exporter.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.exporter.common.ExporterContractTest;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The exporter contract against a loopback server that takes everything: with no format given (raw, one POST per
 * message, counted by requests) and, nested, with JSON batches (counted by the array elements received).
 */
class HttpExporterContractTest extends ExporterContractTest {

    private final ScriptedHttpServer server = ScriptedHttpServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected ExporterProvider provider() {
        return new HttpExporterProvider();
    }

    @Override
    protected ExportConfig healthyConfig() {
        return new ExportConfig.Http(ExportSettings.of("to-http"), server.uri("/ingest"), Optional.empty());
    }

    // the address of an HTTP export lives in its config, not in the destination settings
    @Override
    protected ExportConfig unreachableConfig() {
        return new ExportConfig.Http(ExportSettings.of("to-http"), closedLoopbackPort().resolve("/ingest"),
                Optional.empty());
    }

    @Override
    protected DestinationSettings healthyDestination() {
        return new DestinationSettings(Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
    }

    @Override
    protected byte[] validPayload(int index) {
        return ("reading " + index).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected int receivedCount() {
        return server.requests().size();
    }

    @Nested
    class JsonBatched extends ExporterContractTest {

        private final ObjectMapper json = new ObjectMapper();

        @Override
        protected ExporterProvider provider() {
            return new HttpExporterProvider();
        }

        @Override
        protected ExportConfig healthyConfig() {
            return new ExportConfig.Http(ExportSettings.of("to-http-json"), server.uri("/batches"),
                    Optional.of(ExportFormat.JSON_BATCHED));
        }

        @Override
        protected ExportConfig unreachableConfig() {
            return new ExportConfig.Http(ExportSettings.of("to-http-json"), closedLoopbackPort().resolve("/batches"),
                    Optional.of(ExportFormat.JSON_BATCHED));
        }

        @Override
        protected DestinationSettings healthyDestination() {
            return HttpExporterContractTest.this.healthyDestination();
        }

        @Override
        protected byte[] validPayload(int index) {
            return HttpExporterContractTest.this.validPayload(index);
        }

        @Override
        protected int receivedCount() throws Exception {
            int count = 0;
            for (var request : server.requests()) {
                count += json.readTree(request.body()).size();
            }
            return count;
        }
    }
}
