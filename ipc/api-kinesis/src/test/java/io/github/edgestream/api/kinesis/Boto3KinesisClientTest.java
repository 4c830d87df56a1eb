package io.github.edgestream.api.kinesis;

import io.github.edgestream.core.fixture.CaseScript;
import io.github.edgestream.core.time.SystemScheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * boto3 (botocore's JSON protocol over HTTP/1.1, timestamps as integer epoch seconds) against the Kinesis API:
 * {@code src/test/python/kinesis_boto3.py} creates a stream, puts records and checks each lands in the shard of its
 * key's MD5, reads them back by TRIM_HORIZON and AT_TIMESTAMP, tags, changes retention, meets the errors AWS names
 * (duplicate and missing streams, wrong secret, unknown key, a forged iterator) and deletes. Each case is a test.
 *
 * <p>Needs {@code python3} with boto3 (Debian: {@code python3-boto3}, which {@code .ci/run} installs); without them the
 * test is reported as skipped, as the status page test is without Chromium.
 */
class Boto3KinesisClientTest {

    private static final Path SCRIPT = Path.of("src", "test", "python", "kinesis_boto3.py").toAbsolutePath();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @TestFactory
    Stream<DynamicNode> everyCase(@TempDir Path root) throws Exception {
        Assumptions.assumeTrue(boto3Available(), "python3 with boto3 is not installed (apt install python3-boto3)");
        try (KinesisFixture fixture = new KinesisFixture(root, Map.of(), Clock.systemUTC(),
                new SystemScheduler("boto3-test-scheduler"))) {
            // no profile or config file of the machine's user may change what boto3 sends
            Map<String, String> environment = Map.of("AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE",
                    "/dev/null", "AWS_EC2_METADATA_DISABLED", "true");
            CaseScript.Run run = CaseScript.run("boto3", List.of("python3", SCRIPT.toString(),
                    fixture.endpoint().toString(), KinesisFixture.KEY_ID, KinesisFixture.SECRET, "boto3"),
                    root, environment, RUN_TIMEOUT);
            return Stream.of(CaseScript.asContainer(run));
        }
    }

    private static boolean boto3Available() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import boto3").redirectErrorStream(true).start();
            probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
