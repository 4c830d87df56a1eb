package io.github.edgestream.api.reductstore;

import io.github.edgestream.core.fixture.CaseScript;
import io.github.edgestream.core.fixture.NpmProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official ReductStore JavaScript client (npm {@code reduct-js} 1.20.0, pinned in {@code src/test/js}, unchanged)
 * against our ReductStore API: server info, buckets (create, 409, settings, list), records with labels (write, read
 * latest and by time, head), strictly increasing timestamps (409 for a duplicate, 422 for an earlier one), v1 batch
 * writes with per-record errors, token scopes, removal. Each case the script prints becomes a dynamic test.
 */
class OfficialReductClientTest {

    private static final Path SOURCES = Path.of("src", "test", "js");
    private static final Path WORK = Path.of("target", "reduct-js");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @TestFactory
    Stream<DynamicNode> everyCaseThroughTheOfficialClient(@TempDir Path root) throws Exception {
        NpmProject.install(SOURCES, WORK);
        CaseScript.Run run;
        try (ReductFixture fixture = new ReductFixture(root)) {
            run = CaseScript.run("reduct-js", List.of("node", "reduct.js", fixture.endpoint().toString(),
                    ReductFixture.ADMIN_TOKEN, ReductFixture.READER_TOKEN,
                    "--prefix=js" + Long.toString(System.currentTimeMillis(), 36)), WORK, Map.of(), RUN_TIMEOUT);
        }
        return Stream.of(CaseScript.asContainer(run));
    }
}
