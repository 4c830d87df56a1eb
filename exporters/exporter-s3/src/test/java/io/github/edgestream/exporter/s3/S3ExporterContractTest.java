package io.github.edgestream.exporter.s3;

import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.exporter.common.ExporterContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The exporter contract against S3Proxy: every task uploads one small file to its own key. */
class S3ExporterContractTest extends ExporterContractTest {

    private static S3ProxyServer s3;

    @TempDir
    Path files;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
        s3.createBucket("contract");
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Override
    protected ExporterProvider provider() {
        return new S3ExporterProvider(S3ProxyServer.credentials());
    }

    @Override
    protected ExportConfig healthyConfig() {
        return new ExportConfig.S3TaskExecutor(ExportSettings.of("to-s3"), Optional.empty(), Optional.empty());
    }

    @Override
    protected DestinationSettings healthyDestination() {
        return loopback(s3.endpoint());
    }

    @Override
    protected byte[] validPayload(int index) {
        try {
            Path file = Files.writeString(files.resolve("f" + index + ".txt"), "file " + index);
            return ("{\"inputUrl\":\"" + file.toUri() + "\",\"bucket\":\"contract\",\"key\":\"obj-" + index + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected int receivedCount() {
        return s3.client().listObjectsV2(r -> r.bucket("contract")).keyCount();
    }
}
