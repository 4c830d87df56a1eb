package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens with several scopes (ReductStore's: read some buckets, write others) or none, the two file formats (format 1,
 * one scope per token, still read and still written while every token has one; format 2, a list), and rotation.
 */
class IssuedTokensScopesTest {

    private static final Scope READ_A = new Scope(List.of("reduct.cam-a"), List.of("*"), EnumSet.of(Permission.READ));
    private static final Scope WRITE_B = new Scope(List.of("reduct.cam-b"), List.of("*"),
            EnumSet.of(Permission.WRITE));
    private static final Scope PLANT_A = new Scope(List.of("s2.plant-a"), List.of("*"),
            EnumSet.of(Permission.READ, Permission.WRITE));

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.startingAt2026();

    private Path file() {
        return dir.resolve("tokens.json");
    }

    private IssuedTokens persistent() {
        return new IssuedTokens(file(), clock);
    }

    private static String sha256Hex(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- several scopes, or none

    @Test
    void aTokenWithSeveralScopesMayDoWhatAnyOfThemGrants() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        String token = tokens.issue("cam-rw", List.of(READ_A, WRITE_B), Optional.empty(), "admin", Map.of());

        Principal principal = tokens.byToken(token).orElseThrow().principal();

        assertThat(principal.name()).isEqualTo("token:cam-rw");
        assertThat(principal.scopes()).containsExactly(READ_A, WRITE_B);
        assertThat(principal.allows(Permission.READ, Namespace.of("reduct.cam-a"), "e")).isTrue();
        assertThat(principal.allows(Permission.WRITE, Namespace.of("reduct.cam-a"), "e")).isFalse();
        assertThat(principal.allows(Permission.WRITE, Namespace.of("reduct.cam-b"), "e")).isTrue();
        assertThat(principal.allows(Permission.READ, Namespace.of("reduct.cam-b"), "e")).isFalse();
        assertThat(principal.allows(Permission.READ, Namespace.of("reduct.cam-c"), "e")).isFalse();
    }

    @Test
    void aTokenWithoutScopesAuthenticatesButMayTouchNothing() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        String token = tokens.issue("nothing", List.of(), Optional.empty(), "admin", Map.of());
        CredentialAuthenticator authenticator = new CredentialAuthenticator(List.of(), Optional.empty(), clock,
                tokens);

        Authentication result = authenticator.authenticate(AuthScheme.bearer(),
                io.github.edgestream.http.TestCalls.call("Authorization", "Bearer " + token));

        assertThat(result).isInstanceOf(Authentication.Granted.class);
        Principal principal = ((Authentication.Granted) result).principal();
        assertThat(principal.name()).isEqualTo("token:nothing");
        assertThat(principal.scopes()).isEmpty();
        assertThat(principal.allowsNamespace(Permission.READ, Namespace.of("reduct.cam-a"))).isFalse();
    }

    @Test
    void theSingleScopeAccessorNamesTheCountWhenThereIsNotExactlyOne() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        tokens.issue("two", List.of(READ_A, WRITE_B), Optional.empty(), "admin", Map.of());
        tokens.issue("none", List.of(), Optional.empty(), "admin", Map.of());
        tokens.issue("one", PLANT_A, Optional.empty(), "admin", Map.of());

        assertThatThrownBy(() -> tokens.get("two").orElseThrow().scope()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"two\"").hasMessageContaining("2 scopes");
        assertThatThrownBy(() -> tokens.get("none").orElseThrow().scope())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("0 scopes");
        assertThat(tokens.get("one").orElseThrow().scope()).isEqualTo(PLANT_A);
        assertThat(tokens.get("one").orElseThrow().scopes()).containsExactly(PLANT_A);
    }

    @Test
    void sixteenScopesAreTheMost() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        List<Scope> seventeen = new ArrayList<>(Collections.nCopies(17, READ_A));

        assertThatThrownBy(() -> tokens.issue("many", seventeen, Optional.empty(), "admin", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"many\"")
                .hasMessageContaining("scopes has 17 entries").hasMessageContaining("at most 16");
        assertThat(tokens.list()).isEmpty();

        tokens.issue("many", seventeen.subList(0, 16), Optional.empty(), "admin", Map.of());
        assertThat(tokens.get("many").orElseThrow().scopes()).hasSize(16);
    }

    // ---- the two formats

    @Test
    void severalScopesRoundTripThroughTheFileInFormat2() throws Exception {
        IssuedTokens tokens = persistent();
        Instant expiry = clock.instant().plus(Duration.ofDays(7));
        String rw = tokens.issue("cam-rw", List.of(READ_A, WRITE_B), Optional.of(expiry), "admin",
                Map.of("api", "reductstore"));
        String none = tokens.issue("nothing", List.of(), Optional.empty(), "admin", Map.of());
        String s2 = tokens.issue("plant-a", PLANT_A, Optional.empty(), "daemon", Map.of());

        String text = Files.readString(file());
        assertThat(text).contains("\"format\" : 2").contains("\"scopes\" : [ ]").doesNotContain("\"scope\" :");

        IssuedTokens restarted = persistent();
        assertThat(restarted.list()).isEqualTo(tokens.list());
        assertThat(restarted.byToken(rw).orElseThrow().scopes()).containsExactly(READ_A, WRITE_B);
        assertThat(restarted.byToken(rw).orElseThrow().expiresAt()).hasValue(expiry);
        assertThat(restarted.byToken(none).orElseThrow().scopes()).isEmpty();
        assertThat(restarted.byToken(s2).orElseThrow().scope()).isEqualTo(PLANT_A);
    }

    @Test
    void aTableBackToOneScopePerTokenIsWrittenInFormat1Again() throws Exception {
        IssuedTokens tokens = persistent();
        tokens.issue("plant-a", PLANT_A, Optional.empty(), "daemon", Map.of());
        assertThat(Files.readString(file())).contains("\"format\" : 1").contains("\"scope\" :");
        tokens.issue("cam-rw", List.of(READ_A, WRITE_B), Optional.empty(), "admin", Map.of());
        assertThat(Files.readString(file())).contains("\"format\" : 2");

        tokens.revoke("cam-rw");

        assertThat(Files.readString(file())).contains("\"format\" : 1").contains("\"scope\" :")
                .doesNotContain("\"scopes\"");
        assertThat(persistent().get("plant-a").orElseThrow().scope()).isEqualTo(PLANT_A);
    }

    /** The format 1 example of the class Javadoc, as the version before this one wrote it. */
    @Test
    void aFormat1FileIsRead() throws Exception {
        String token = "es_previous-version-token";
        Files.writeString(file(), """
                {"format":1,"tokens":[{"id":"plant-a","sha256":"%s",
                  "scope":{"namespaces":["s2.plant-a"],"streams":["*"],"permissions":["READ","WRITE"]},
                  "expiresAt":"2026-06-01T00:00:00Z","issuedAt":"2026-01-01T00:00:00Z","issuer":"daemon",
                  "attributes":{"auto_prefix_streams":"true"}}]}
                """.formatted(sha256Hex(token)));

        IssuedTokens.Issued issued = persistent().byToken(token).orElseThrow();

        assertThat(issued.id()).isEqualTo("plant-a");
        assertThat(issued.scope()).isEqualTo(PLANT_A);
        assertThat(issued.scopes()).containsExactly(PLANT_A);
        assertThat(issued.expiresAt()).hasValue(Instant.parse("2026-06-01T00:00:00Z"));
        assertThat(issued.issuedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(issued.attributes()).containsExactly(Map.entry("auto_prefix_streams", "true"));
    }

    /** The format 2 example of the class Javadoc. */
    @Test
    void aFormat2FileIsRead() throws Exception {
        String token = "es_cam-rw-token";
        Files.writeString(file(), """
                {"format":2,"tokens":[{"id":"cam-rw","sha256":"%s",
                  "scopes":[{"namespaces":["reduct.cam-a"],"streams":["*"],"permissions":["READ"]},
                            {"namespaces":["reduct.cam-b"],"streams":["*"],"permissions":["WRITE"]}],
                  "expiresAt":null,"issuedAt":"2026-01-01T00:00:00Z","issuer":"admin","attributes":{}}]}
                """.formatted(sha256Hex(token)));

        IssuedTokens.Issued issued = persistent().byToken(token).orElseThrow();

        assertThat(issued.scopes()).containsExactly(READ_A, WRITE_B);
        assertThat(issued.expiresAt()).isEmpty();
        assertThat(issued.issuer()).isEqualTo("admin");
    }

    @Test
    void aFileMixingTheFormatsOrOfAnotherFormatIsRefused() throws Exception {
        IssuedTokens tokens = persistent();
        tokens.issue("cam-rw", List.of(READ_A, WRITE_B), Optional.empty(), "admin", Map.of());
        String two = Files.readString(file());
        tokens.revoke("cam-rw");
        tokens.issue("plant-a", PLANT_A, Optional.empty(), "daemon", Map.of());
        String one = Files.readString(file());
        Map<String, String> damaged = new java.util.LinkedHashMap<>();
        damaged.put(one.replace("\"format\" : 1", "\"format\" : 2"),
                "tokens[0] has \"scope\" in a format 2 file; this version reads format 1");
        damaged.put(two.replace("\"format\" : 2", "\"format\" : 1"),
                "tokens[0] has \"scopes\" in a format 1 file; this version reads format 1");
        damaged.put(one.replace("\"format\" : 1", "\"format\" : 3"),
                "format is 3; this version reads format 1 (one \"scope\" per token) and format 2");
        damaged.put("{\"format\":2,\"tokens\":[{\"id\":\"a\",\"sha256\":\"" + "0".repeat(64) + "\",\"scopes\":{},"
                + "\"expiresAt\":null,\"issuedAt\":\"2026-01-01T00:00:00Z\",\"issuer\":\"x\",\"attributes\":{}}]}",
                "tokens[0].scopes must be an array");
        damaged.put(two.replace("\"READ\"", "\"PEEK\""), "tokens[0].scopes[0]: permission \"PEEK\"");
        damaged.put(two.replace("\"streams\" : [ \"*\" ]", "\"streams\" : [ ]"),
                "tokens[0].scopes[0]: a scope needs at least one namespace, stream and permission");

        for (Map.Entry<String, String> damage : damaged.entrySet()) {
            assertThat(damage.getKey()).isNotIn(one, two);
            Files.writeString(file(), damage.getKey());
            assertThatThrownBy(this::persistent).as(damage.getValue()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(file().toString()).hasMessageContaining(damage.getValue());
        }
    }

    // ---- rotation

    @Test
    void rotatingGivesANewSecretAndKeepsTheRest() throws Exception {
        IssuedTokens tokens = persistent();
        Instant expiry = clock.instant().plus(Duration.ofDays(7));
        String old = tokens.issue("cam-rw", List.of(READ_A, WRITE_B), Optional.of(expiry), "admin",
                Map.of("api", "reductstore"));
        IssuedTokens.Issued before = tokens.get("cam-rw").orElseThrow();
        clock.advance(Duration.ofMinutes(5));

        String rotated = tokens.rotate("cam-rw").orElseThrow();

        assertThat(rotated).isNotEqualTo(old).startsWith("es_");
        assertThat(tokens.byToken(old)).isEmpty();
        IssuedTokens.Issued after = tokens.byToken(rotated).orElseThrow();
        assertThat(after.issuedAt()).isEqualTo(clock.instant()).isAfter(before.issuedAt());
        assertThat(after).isEqualTo(new IssuedTokens.Issued("cam-rw", before.scopes(), before.expiresAt(),
                clock.instant(), before.issuer(), before.attributes()));
        String text = Files.readString(file());
        assertThat(text).contains(sha256Hex(rotated)).doesNotContain(sha256Hex(old)).doesNotContain(rotated);
        IssuedTokens restarted = persistent();
        assertThat(restarted.byToken(rotated)).hasValue(after);
        assertThat(restarted.byToken(old)).isEmpty();
    }

    @Test
    void onlyALiveTokenIsRotated() {
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        String expiring = tokens.issue("short", READ_A, Optional.of(clock.instant().plusSeconds(60)), "admin",
                Map.of());

        assertThat(tokens.rotate("never-issued")).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        assertThat(tokens.rotate("short")).isEmpty();
        assertThat(tokens.byToken(expiring)).isEmpty();
        assertThat(tokens.list()).isEmpty();
    }
}
