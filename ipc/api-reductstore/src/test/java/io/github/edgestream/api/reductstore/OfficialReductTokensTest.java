package io.github.edgestream.api.reductstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.fixture.CaseScript;
import io.github.edgestream.core.fixture.NpmProject;
import io.github.edgestream.http.auth.IssuedTokens;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official ReductStore JavaScript client (npm {@code reduct-js} 1.20.0, pinned in {@code src/test/js}, unchanged)
 * against the token API ({@code reduct-tokens.js}): a token reading one bucket and writing another, used for both and
 * refused elsewhere; list, get, rotate (the old value refused), delete (refused); only full access manages tokens;
 * {@code me} for issued tokens and configured credentials; wildcards; what is not supported. Each case the script
 * prints becomes a dynamic test; a last one checks what the table holds afterwards.
 */
class OfficialReductTokensTest {

    private static final Path SOURCES = Path.of("src", "test", "js");
    private static final Path WORK = Path.of("target", "reduct-js");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @TestFactory
    Stream<DynamicNode> everyTokenCaseThroughTheOfficialClient(@TempDir Path root) throws Exception {
        NpmProject.install(SOURCES, WORK);
        String prefix = "tk" + Long.toString(System.currentTimeMillis(), 36);
        CaseScript.Run run;
        List<IssuedTokens.Issued> left;
        try (ReductFixture fixture = new ReductFixture(root)) {
            run = CaseScript.run("reduct-tokens", List.of("node", "reduct-tokens.js", fixture.endpoint().toString(),
                    ReductFixture.ADMIN_TOKEN, ReductFixture.READER_TOKEN, "--prefix=" + prefix), WORK, Map.of(),
                    RUN_TIMEOUT);
            left = fixture.tokens.list();
        }
        // the last case made the name again, writing bucket A only; every other token was deleted
        DynamicTest table = DynamicTest.dynamicTest("theTableHoldsTheLastTokenWithItsScope", () -> {
            assertThat(left).extracting(IssuedTokens.Issued::id).containsExactly(prefix + "-rw");
            assertThat(left.get(0).scopes()).containsExactly(new Scope(List.of("reduct." + prefix + "-a"),
                    List.of("*"), EnumSet.of(Permission.WRITE)));
            assertThat(left.get(0).issuer()).isEqualTo("admin");
        });
        return Stream.of(CaseScript.asContainer(run), table);
    }
}
