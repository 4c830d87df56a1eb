package io.github.edgestream.exporter.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

/** The fixture itself: other modules rely on it through the test-jar. */
class KinesaliteTest {

    @Test
    void startsOnLoopbackReadsBackAndStopsItsProcessOnClose() throws Exception {
        long pid;
        var kinesalite = Kinesalite.start();
        try {
            pid = kinesalite.pid();
            assertThat(kinesalite.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(kinesalite.endpoint().getPort()).isPositive();
            kinesalite.createStream("fixture", 2);
            kinesalite.client().putRecord(r -> r.streamName("fixture").partitionKey("k")
                    .data(SdkBytes.fromUtf8String("hello")));

            assertThat(kinesalite.readAll("fixture")).extracting(record -> record.data().asUtf8String())
                    .containsExactly("hello");
            assertThat(kinesalite.readByShard("fixture")).hasSize(2);
        } finally {
            kinesalite.close();
        }

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThatCode(kinesalite::close).doesNotThrowAnyException();
    }

    // npm ci takes seconds and needs the registry: it runs once per lock file, not per start.
    @Test
    void aSecondStartReusesTheInstallation() throws Exception {
        Kinesalite.start().close();
        Path stamp = Path.of(System.getProperty(Kinesalite.WORK_DIR_PROPERTY), ".installed-lock.sha256");
        var installed = Files.getLastModifiedTime(stamp);

        Kinesalite.start().close();

        assertThat(Files.getLastModifiedTime(stamp)).isEqualTo(installed);
    }

    // With CBOR, GetRecords cannot read kinesalite's answers: better a clear refusal than a baffling failure later.
    @Test
    void refusesToStartWhenTheSdkSpeaksCbor() {
        String before = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "true");
        try {
            assertThatThrownBy(Kinesalite::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("aws.cborEnabled=false");
        } finally {
            if (before == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", before);
            }
        }
    }
}
