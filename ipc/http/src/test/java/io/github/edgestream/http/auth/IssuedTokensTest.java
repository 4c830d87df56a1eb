package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.TestCalls;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens issued at run time: issued once and found by their hash only, listed by id, revoked; expired by the clock
 * without sleeping; kept across restarts in a file of mode 0600 that never holds a token, written so that a failed
 * write changes nothing; a damaged file refused at start; and through {@link CredentialAuthenticator}, an issued
 * token authenticates as {@code token:<id>} with its scope until revoked.
 */
class IssuedTokensTest {

    private static final Scope PLANT_A = new Scope(List.of("s2.plant-a"), List.of("*"),
            EnumSet.of(Permission.READ, Permission.WRITE));
    private static final Scope READ_ALL = new Scope(List.of("*"), List.of("*"), EnumSet.of(Permission.READ));

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.startingAt2026();

    private Path file() {
        return dir.resolve("tokens.json");
    }

    private IssuedTokens persistent() {
        return new IssuedTokens(file(), clock);
    }

    private static String issue(IssuedTokens tokens, String id) {
        return tokens.issue(id, PLANT_A, Optional.empty(), "daemon", Map.of());
    }

    private static String sha256Hex(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- issue, look up, list, revoke

    @Test
    void anIssuedTokenIsFoundByItselfWithItsDetails() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        Instant expiry = clock.instant().plus(Duration.ofDays(30));

        String token = tokens.issue("plant-a", PLANT_A, Optional.of(expiry), "daemon",
                Map.of("auto_prefix_streams", "true"));

        assertThat(token).startsWith("es_").hasSize(3 + 43).matches("es_[A-Za-z0-9_-]{43}");
        IssuedTokens.Issued issued = tokens.byToken(token).orElseThrow();
        assertThat(issued.id()).isEqualTo("plant-a");
        assertThat(issued.scope()).isEqualTo(PLANT_A);
        assertThat(issued.expiresAt()).hasValue(expiry);
        assertThat(issued.issuedAt()).isEqualTo(clock.instant());
        assertThat(issued.issuer()).isEqualTo("daemon");
        assertThat(issued.attributes()).containsExactly(Map.entry("auto_prefix_streams", "true"));
        assertThat(issued.toString()).doesNotContain(token);
        assertThat(tokens.get("plant-a")).hasValue(issued);
        assertThat(tokens.get("plant-b")).isEmpty();
    }

    @Test
    void everyTokenIsNew() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);

        String a = issue(tokens, "a");
        String b = issue(tokens, "b");

        assertThat(a).isNotEqualTo(b);
        assertThat(tokens.byToken(a)).map(IssuedTokens.Issued::id).hasValue("a");
        assertThat(tokens.byToken(b)).map(IssuedTokens.Issued::id).hasValue("b");
    }

    @Test
    void theListIsSortedByIdAndRevokedTokensLeaveIt() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        String c = issue(tokens, "c");
        String a = issue(tokens, "a");
        issue(tokens, "b");

        assertThat(tokens.list()).extracting(IssuedTokens.Issued::id).containsExactly("a", "b", "c");
        assertThat(tokens.revoke("b")).isTrue();
        assertThat(tokens.revoke("b")).isFalse();
        assertThat(tokens.revoke("never-issued")).isFalse();

        assertThat(tokens.list()).extracting(IssuedTokens.Issued::id).containsExactly("a", "c");
        assertThat(tokens.size()).isEqualTo(2);
        assertThat(tokens.byToken(a)).isPresent();
        assertThat(tokens.byToken(c)).isPresent();
        assertThat(tokens.get("b")).isEmpty();
    }

    @Test
    void aWrongTokenOfTheSameLengthIsNotFound() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        String token = issue(tokens, "a");
        char last = token.charAt(token.length() - 1);
        String wrong = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(wrong).hasSameSizeAs(token).isNotEqualTo(token);
        assertThat(tokens.byToken(wrong)).isEmpty();
        assertThat(tokens.byToken(token.substring(1))).isEmpty();
        assertThat(tokens.byToken("")).isEmpty();
        assertThat(tokens.byToken(null)).isEmpty();
    }

    @Test
    void badIdsAreRefusedNamingTheValueAndTheRule() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);

        for (String bad : List.of("", "a b", "a/b", "caf\u00e9", "x".repeat(97), "a\nb")) {
            assertThatThrownBy(() -> issue(tokens, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token id").hasMessageContaining("1 to 96")
                    .hasMessageContaining("A-Z a-z 0-9 . _ -");
        }
        assertThatThrownBy(() -> issue(tokens, "a/b")).hasMessageContaining("\"a/b\"");
        assertThat(tokens.list()).isEmpty();

        issue(tokens, "x".repeat(96));
        issue(tokens, "Az09._-");
        assertThat(tokens.list()).hasSize(2);
    }

    @Test
    void anIdInUseIsAConflictUntilRevoked() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        String first = issue(tokens, "plant-a");

        assertThatThrownBy(() -> issue(tokens, "plant-a")).isInstanceOf(TokenExistsException.class)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("\"plant-a\"")
                .satisfies(e -> assertThat(((TokenExistsException) e).id()).isEqualTo("plant-a"));
        assertThat(tokens.byToken(first)).isPresent();

        tokens.revoke("plant-a");
        String second = issue(tokens, "plant-a");
        assertThat(tokens.byToken(first)).isEmpty();
        assertThat(tokens.byToken(second)).isPresent();
    }

    @Test
    void anExpiryMustBeInTheFuture() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        Instant now = clock.instant();

        for (Instant bad : List.of(now, now.minusSeconds(1))) {
            assertThatThrownBy(() -> tokens.issue("a", PLANT_A, Optional.of(bad), "daemon", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expiresAt")
                    .hasMessageContaining(bad.toString()).hasMessageContaining("future")
                    .hasMessageContaining(now.toString());
        }
        tokens.issue("a", PLANT_A, Optional.of(now.plusMillis(1)), "daemon", Map.of());
        assertThat(tokens.list()).hasSize(1);
    }

    @Test
    void attributesAndIssuerAreChecked() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        Map<String, String> seventeen = new HashMap<>();
        for (int i = 0; i < 17; i++) {
            seventeen.put("k" + i, "v");
        }

        assertThatThrownBy(() -> tokens.issue("a", PLANT_A, Optional.empty(), "daemon", seventeen))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attributes")
                .hasMessageContaining("17").hasMessageContaining("16");
        assertThatThrownBy(() -> tokens.issue("a", PLANT_A, Optional.empty(), "daemon",
                Map.of("k", "v".repeat(1025)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"k\"").hasMessageContaining("1025").hasMessageContaining("1024");
        assertThatThrownBy(() -> tokens.issue("a", PLANT_A, Optional.empty(), " ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
        assertThat(tokens.list()).isEmpty();

        seventeen.remove("k0");
        tokens.issue("a", PLANT_A, Optional.empty(), "daemon", seventeen);
        assertThat(tokens.get("a").orElseThrow().attributes()).hasSize(16);
    }

    @Test
    void anIssuedTokenIsAPrincipalWithExactlyItsScope() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        String token = issue(tokens, "plant-a");

        Principal principal = tokens.byToken(token).orElseThrow().principal();

        assertThat(principal.name()).isEqualTo("token:plant-a");
        assertThat(principal.scopes()).containsExactly(PLANT_A);
        assertThat(principal.allows(Permission.WRITE, Namespace.of("s2.plant-a"), "s")).isTrue();
        assertThat(principal.allows(Permission.ADMIN, Namespace.of("s2.plant-a"), "s")).isFalse();
        assertThat(principal.allows(Permission.READ, Namespace.of("s2.plant-b"), "s")).isFalse();
    }

    // ---- expiry

    @Test
    void aTokenExpiresWhenTheClockPassesItsExpiry() throws Exception {
        IssuedTokens tokens = persistent();
        String token = tokens.issue("short", READ_ALL, Optional.of(clock.instant().plus(Duration.ofHours(1))),
                "daemon", Map.of());
        issue(tokens, "forever");

        clock.advance(Duration.ofMinutes(59));
        assertThat(tokens.byToken(token)).isPresent();

        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.byToken(token)).isEmpty();
        assertThat(tokens.get("short")).isEmpty();
        assertThat(tokens.list()).extracting(IssuedTokens.Issued::id).containsExactly("forever");
        assertThat(tokens.revoke("short")).isFalse();
        assertThat(Files.readString(file())).contains("\"short\""); // still there until the next write

        String again = issue(tokens, "short");

        assertThat(tokens.byToken(again)).isPresent();
        assertThat(Files.readString(file())).doesNotContain(sha256Hex(token));
    }

    @Test
    void expiredTokensAreDroppedFromTheFileWithTheNextChange() throws Exception {
        IssuedTokens tokens = persistent();
        String gone = tokens.issue("gone", READ_ALL, Optional.of(clock.instant().plusSeconds(10)), "daemon",
                Map.of());
        issue(tokens, "kept");
        clock.advance(Duration.ofSeconds(10));

        issue(tokens, "new");

        String content = Files.readString(file());
        assertThat(content).doesNotContain("\"gone\"").doesNotContain(sha256Hex(gone)).contains("\"kept\"");
        assertThat(new IssuedTokens(file(), clock).list()).extracting(IssuedTokens.Issued::id)
                .containsExactly("kept", "new");
    }

    @Test
    void anExpiredTokenIsRefusedByTheAuthenticator() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        String token = tokens.issue("a", READ_ALL, Optional.of(clock.instant().plusSeconds(60)), "daemon",
                Map.of());
        CredentialAuthenticator authenticator = new CredentialAuthenticator(List.of(), Optional.empty(), clock,
                tokens);

        assertThat(bearer(authenticator, token)).isInstanceOf(Authentication.Granted.class);
        clock.advance(Duration.ofSeconds(60));
        assertThat(bearer(authenticator, token)).isInstanceOf(Authentication.Refused.class);
    }

    // ---- the file

    @Test
    void tokensSurviveARestart() {
        IssuedTokens tokens = persistent();
        Instant expiry = clock.instant().plus(Duration.ofDays(1));
        String a = tokens.issue("a", PLANT_A, Optional.of(expiry), "admin-credential",
                Map.of("auto_prefix_streams", "true", "note", "line \"one\"\nline two"));
        String b = tokens.issue("b", READ_ALL, Optional.empty(), "daemon", Map.of());
        String c = issue(tokens, "c");
        tokens.revoke("c");

        IssuedTokens restarted = persistent();

        assertThat(restarted.list()).isEqualTo(tokens.list());
        assertThat(restarted.byToken(a)).isEqualTo(tokens.byToken(a)).isPresent();
        assertThat(restarted.byToken(b)).map(IssuedTokens.Issued::scope).hasValue(READ_ALL);
        assertThat(restarted.byToken(c)).isEmpty();
        assertThat(restarted.get("a").orElseThrow().attributes()).containsEntry("note", "line \"one\"\nline two");
    }

    @Test
    void theFileHoldsHashesNeverTokens() throws Exception {
        IssuedTokens tokens = persistent();
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            issued.add(issue(tokens, "t" + i));
        }

        byte[] content = Files.readAllBytes(file());
        String text = new String(content, StandardCharsets.UTF_8);
        for (String token : issued) {
            assertThat(text).doesNotContain(token).doesNotContain(token.substring(3))
                    .contains(sha256Hex(token));
        }
        assertThat(text).contains("\"format\" : 1").contains("\"permissions\" : [ \"READ\", \"WRITE\" ]")
                .contains("\"expiresAt\" : null");
    }

    @Test
    void theFileHasMode0600AndNoTemporaryIsLeft() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        IssuedTokens tokens = persistent();

        issue(tokens, "a");

        assertThat(Files.getPosixFilePermissions(file()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(dir.resolve("tokens.json.tmp")).doesNotExist();
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file());
        }
    }

    @Test
    void aStaleTemporaryWithAWideModeIsReplaced() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Path stale = dir.resolve("tokens.json.tmp");
        Files.writeString(stale, "left by a crash");
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-rw-rw-"));
        IssuedTokens tokens = persistent();

        String token = issue(tokens, "a");

        assertThat(stale).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(persistent().byToken(token)).isPresent();
    }

    @Test
    void noFileMeansAnEmptyTableAndInMemoryWritesNothing() throws Exception {
        assertThat(persistent().list()).isEmpty();
        assertThat(file()).doesNotExist();

        IssuedTokens memory = IssuedTokens.inMemory(clock);
        issue(memory, "a");

        assertThat(memory.file()).isEmpty();
        try (var listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void aDamagedFileIsRefusedNamingTheFileAndTheProblem() throws Exception {
        IssuedTokens tokens = persistent();
        issue(tokens, "a");
        String good = Files.readString(file());
        Map<String, String> damaged = new java.util.LinkedHashMap<>();
        damaged.put("", "it is empty");
        damaged.put(good.substring(0, good.length() / 2), "not JSON");
        damaged.put("[]", "not a JSON object");
        damaged.put(good.replace("\"format\" : 1", "\"format\" : 2"), "this version reads format 1");
        damaged.put(good.replaceFirst("\"sha256\" : \"[0-9a-f]", "\"sha256\" : \"Z"), "64 lowercase hex digits");
        damaged.put(good.replace("\"issuer\"", "\"isuer\""), "unknown field \"isuer\"");
        damaged.put(good.replace("\"READ\"", "\"PEEK\""), "permission \"PEEK\"");
        damaged.put(good.replace("\"id\" : \"a\"", "\"id\" : \"a b\""), "token id \"a b\"");
        damaged.put(good.replaceFirst("\"issuedAt\" : \"[^\"]*\"", "\"issuedAt\" : \"yesterday\""),
                "tokens[0].issuedAt \"yesterday\" is not an ISO-8601 instant");
        damaged.put(good.replace("\"tokens\" : [ {", "\"tokens\" : [ 1, {"), "tokens[0] must be an object");

        for (Map.Entry<String, String> damage : damaged.entrySet()) {
            Files.writeString(file(), damage.getKey());
            assertThatThrownBy(this::persistent).as(damage.getValue()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(file().toString()).hasMessageContaining(damage.getValue());
        }
    }

    @Test
    void aFileWithTheSameIdTwiceIsRefused() throws Exception {
        IssuedTokens tokens = persistent();
        issue(tokens, "a");
        issue(tokens, "b");
        Files.writeString(file(), Files.readString(file()).replace("\"id\" : \"b\"", "\"id\" : \"a\""));

        assertThatThrownBy(this::persistent).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining("tokens[1]")
                .hasMessageContaining("\"a\" appears twice");
    }

    @Test
    void aFileHoldingTheMostTokensLoadsAndRefusesOneMore() throws Exception {
        StringBuilder json = new StringBuilder("{\"format\":1,\"tokens\":[");
        for (int i = 0; i < IssuedTokens.MAX_TOKENS; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"sha256\":\"")
                    .append(sha256Hex("token-" + i)).append("\",\"scope\":{\"namespaces\":[\"*\"],")
                    .append("\"streams\":[\"*\"],\"permissions\":[\"READ\"]},\"expiresAt\":null,")
                    .append("\"issuedAt\":\"2025-12-01T00:00:00Z\",\"issuer\":\"daemon\",\"attributes\":{}}");
        }
        Files.writeString(file(), json.append("]}"));
        IssuedTokens tokens = persistent();

        assertThat(tokens.size()).isEqualTo(IssuedTokens.MAX_TOKENS);
        assertThat(tokens.byToken("token-7")).map(IssuedTokens.Issued::id).hasValue("t7");
        assertThatThrownBy(() -> issue(tokens, "one-more")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"one-more\"").hasMessageContaining("10000");

        assertThat(tokens.revoke("t0")).isTrue();
        String token = issue(tokens, "one-more");
        assertThat(persistent().byToken(token)).isPresent();
        assertThat(persistent().size()).isEqualTo(IssuedTokens.MAX_TOKENS);
    }

    @Test
    void aFailedWriteChangesNothing() throws Exception {
        IssuedTokens tokens = persistent();
        String a = issue(tokens, "a");
        String before = Files.readString(file());
        // a non-empty directory where the temporary file goes: no write can succeed, not even as root
        Path obstacle = Files.createDirectory(dir.resolve("tokens.json.tmp"));
        Files.writeString(obstacle.resolve("inside"), "x");

        assertThatThrownBy(() -> issue(tokens, "b")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file().toString());
        assertThatThrownBy(() -> tokens.revoke("a")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file().toString());

        assertThat(tokens.list()).extracting(IssuedTokens.Issued::id).containsExactly("a");
        assertThat(tokens.byToken(a)).isPresent();
        assertThat(tokens.get("b")).isEmpty();
        assertThat(Files.readString(file())).isEqualTo(before);

        Files.delete(obstacle.resolve("inside"));
        Files.delete(obstacle);
        String b = issue(tokens, "b");
        assertThat(persistent().list()).extracting(IssuedTokens.Issued::id).containsExactly("a", "b");
        assertThat(persistent().byToken(b)).isPresent();
    }

    @Test
    void aVanishedDirectoryRefusesTheChange() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("state"));
        IssuedTokens tokens = new IssuedTokens(sub.resolve("tokens.json"), clock);
        String a = issue(tokens, "a");
        Files.delete(sub.resolve("tokens.json"));
        Files.delete(sub);

        assertThatThrownBy(() -> issue(tokens, "b")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("tokens.json");
        assertThat(tokens.list()).extracting(IssuedTokens.Issued::id).containsExactly("a");
        assertThat(tokens.byToken(a)).isPresent();
    }

    @Test
    void aPathUnderARegularFileIsRefusedAtStart() throws Exception {
        Path regular = Files.writeString(dir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> new IssuedTokens(regular.resolve("tokens.json"), clock))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not-a-directory");
    }

    // ---- through the authenticator

    private static Authentication bearer(CredentialAuthenticator authenticator, String token) {
        return authenticator.authenticate(AuthScheme.bearer(), TestCalls.call("Authorization", "Bearer " + token));
    }

    @Test
    void anIssuedTokenAuthenticatesUntilRevoked() {
        IssuedTokens tokens = persistent();
        String configuredToken = "configured-token-0123456789";
        Credential configured = new Credential("configured", Optional.empty(), Optional.empty(),
                Optional.of(configuredToken), List.of(READ_ALL));
        CredentialAuthenticator authenticator = new CredentialAuthenticator(List.of(configured),
                Optional.of("daemon-token-abcdefghijkl"), clock, tokens);
        String token = issue(authenticator.issuedTokens(), "plant-a");

        Authentication granted = bearer(authenticator, token);
        assertThat(granted).isInstanceOf(Authentication.Granted.class);
        Principal principal = ((Authentication.Granted) granted).principal();
        assertThat(principal.name()).isEqualTo("token:plant-a");
        assertThat(principal.scopes()).containsExactly(PLANT_A);
        assertThat(((Authentication.Granted) bearer(authenticator, configuredToken)).principal().name())
                .isEqualTo("configured");
        assertThat(((Authentication.Granted) bearer(authenticator, "daemon-token-abcdefghijkl")).principal()
                .name()).isEqualTo("daemon");

        tokens.revoke("plant-a");

        Authentication refused = bearer(authenticator, token);
        assertThat(refused).isInstanceOf(Authentication.Refused.class);
        HttpProblem problem = ((Authentication.Refused) refused).problem();
        assertThat(problem.kind()).isEqualTo(HttpProblem.Kind.BAD_CREDENTIALS);
        assertThat(problem.message()).doesNotContain(token);
    }

    @Test
    void aWrongTokenOfTheSameLengthIsRefusedByTheAuthenticator() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        CredentialAuthenticator authenticator = new CredentialAuthenticator(List.of(), Optional.empty(), clock,
                tokens);
        String token = issue(tokens, "a");
        String wrong = "es_" + new StringBuilder(token.substring(3)).reverse();
        assumeTrue(!wrong.equals(token));

        assertThat(bearer(authenticator, wrong)).isInstanceOf(Authentication.Refused.class);
        assertThat(bearer(authenticator, token)).isInstanceOf(Authentication.Granted.class);
    }

    @Test
    void theOldConstructorHasAnEmptyTableInMemory() {
        CredentialAuthenticator authenticator = new CredentialAuthenticator(List.of(), Optional.empty(), clock);

        assertThat(authenticator.issuedTokens().list()).isEmpty();
        assertThat(authenticator.issuedTokens().file()).isEmpty();
    }

    // ---- threads

    @Test
    void threadsIssuingDistinctIdsAllSucceed() throws Exception {
        IssuedTokens tokens = persistent();
        String early = issue(tokens, "early");
        int threads = 8;
        int each = 25;
        Map<String, String> issued = new ConcurrentHashMap<>();
        AtomicBoolean lookupsFailed = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            Future<?> reader = pool.submit(() -> {
                while (!done.get()) {
                    if (tokens.byToken(early).isEmpty()) {
                        lookupsFailed.set(true);
                    }
                }
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String id = "t" + thread + "-" + i;
                        issued.put(id, issue(tokens, id));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            reader.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(lookupsFailed).isFalse();
        assertThat(tokens.size()).isEqualTo(threads * each + 1);
        assertThat(Set.copyOf(issued.values())).hasSize(threads * each);
        IssuedTokens restarted = persistent();
        assertThat(restarted.size()).isEqualTo(threads * each + 1);
        issued.forEach((id, token) -> assertThat(restarted.byToken(token)).map(IssuedTokens.Issued::id)
                .hasValue(id));
    }
}
