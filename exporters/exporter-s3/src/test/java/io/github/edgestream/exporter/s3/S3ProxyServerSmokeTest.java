package io.github.edgestream.exporter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class S3ProxyServerSmokeTest {

    @Test
    void storesAndReturnsAnObject() {
        try (var s3 = S3ProxyServer.start()) {
            s3.createBucket("smoke");
            s3.client().putObject(r -> r.bucket("smoke").key("a"), RequestBody.fromString("hello"));
            assertThat(s3.client().getObjectAsBytes(r -> r.bucket("smoke").key("a")).asUtf8String())
                    .isEqualTo("hello");
        }
    }
}
