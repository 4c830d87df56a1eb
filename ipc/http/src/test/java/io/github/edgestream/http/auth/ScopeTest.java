package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.Namespace;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a scope grants: namespace and stream globs ({@code *}, {@code ?}, everything else literal and
 * case-sensitive), permissions where admin includes read and write but read does not include write, namespace-only
 * checks, and the principal's denial naming credential, permission and stream.
 */
class ScopeTest {

    private static Scope scope(String namespace, String stream, Permission... permissions) {
        return new Scope(List.of(namespace), List.of(stream), EnumSet.copyOf(List.of(permissions)));
    }

    @ParameterizedTest(name = "\"{0}\" matches \"{1}\": {2}")
    @CsvSource({
            "*, anything, true",
            "*, '', true",
            "sensor-?, sensor-1, true",
            "sensor-?, sensor-12, false",
            "sensor-?, sensor-, false",
            "s2.plant-*, s2.plant-north, true",
            "s2.plant-*, s2.plant-, true",
            "s2.plant-*, s2.plantx, false",
            "s2.plant-*, s2Xplant-north, false",
            "default, default, true",
            "default, Default, false",
            "default, defaults, false",
            "a*b*c, axxbyyc, true",
            "a*b*c, axxbyy, false",
            "*-log, app-error-log, true",
            "*.*, ab, false",
            "**, x, true",
            "?*?, ab, true",
            "?*?, a, false",
    })
    void globs(String glob, String text, boolean expected) {
        assertThat(Scope.matches(glob, text)).isEqualTo(expected);
    }

    @Test
    void globMatchingStaysFastOnAdversarialPatterns() {
        String glob = "*a".repeat(200) + "b";
        String text = "a".repeat(511);

        assertThat(Scope.matches(glob, text)).isFalse();
    }

    @Test
    void adminGrantsReadAndWrite() {
        assertThat(Permission.ADMIN.grants(Permission.READ)).isTrue();
        assertThat(Permission.ADMIN.grants(Permission.WRITE)).isTrue();
        assertThat(Permission.ADMIN.grants(Permission.ADMIN)).isTrue();
        assertThat(scope("default", "*", Permission.ADMIN).grants(Permission.WRITE, "default", "s")).isTrue();
    }

    @Test
    void readDoesNotGrantWriteOrAdmin() {
        assertThat(Permission.READ.grants(Permission.WRITE)).isFalse();
        assertThat(Permission.READ.grants(Permission.ADMIN)).isFalse();
        assertThat(Permission.WRITE.grants(Permission.READ)).isFalse();
        assertThat(scope("default", "*", Permission.READ).grants(Permission.WRITE, "default", "s")).isFalse();
    }

    @Test
    void permissionsParseInAnyCaseAndPrintLowerCase() {
        assertThat(Permission.parse(" Admin ")).isEqualTo(Permission.ADMIN);
        assertThat(Permission.WRITE).hasToString("write");
        assertThatThrownBy(() -> Permission.parse("delete")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delete").hasMessageContaining("read, write, admin");
    }

    @Test
    void aScopeNeedsBothTheNamespaceAndTheStreamToMatch() {
        Scope plants = scope("s2.plant-*", "temp-?", Permission.READ);

        assertThat(plants.grants(Permission.READ, "s2.plant-a", "temp-1")).isTrue();
        assertThat(plants.grants(Permission.READ, "s2.plant-a", "humidity")).isFalse();
        assertThat(plants.grants(Permission.READ, "default", "temp-1")).isFalse();
    }

    @Test
    void aNamespaceOnlyCheckIgnoresTheStreamGlobs() {
        Scope plants = scope("s2.plant-*", "temp-?", Permission.WRITE);

        assertThat(plants.grants(Permission.WRITE, "s2.plant-a", null)).isTrue();
        assertThat(plants.grants(Permission.WRITE, "default", null)).isFalse();
        assertThat(plants.grants(Permission.READ, "s2.plant-a", null)).isFalse();
    }

    @Test
    void aScopeNeedsANamespaceAStreamAndAPermission() {
        assertThatThrownBy(() -> new Scope(List.of(), List.of("*"), Set.of(Permission.READ)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scope(List.of("*"), List.of("*"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scope(List.of(""), List.of("*"), Set.of(Permission.READ)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace glob");
    }

    @Test
    void aPrincipalIsAllowedIfAnyScopeGrants() {
        Principal principal = new Principal("mixed", List.of(scope("default", "logs-*", Permission.READ),
                scope("default", "metrics", Permission.WRITE)));

        assertThat(principal.allows(Permission.READ, Namespace.DEFAULT, "logs-app")).isTrue();
        assertThat(principal.allows(Permission.WRITE, Namespace.DEFAULT, "metrics")).isTrue();
        assertThat(principal.allows(Permission.WRITE, Namespace.DEFAULT, "logs-app")).isFalse();
        assertThat(principal.allowsNamespace(Permission.WRITE, Namespace.DEFAULT)).isTrue();
        assertThat(principal.allowsNamespace(Permission.WRITE, Namespace.of("other"))).isFalse();
    }

    @Test
    void checkThrowsAccessDeniedNamingCredentialPermissionAndStream() {
        Principal principal = new Principal("sensors", List.of(scope("default", "sensor-*", Permission.READ)));

        principal.check(Permission.READ, Namespace.DEFAULT, "sensor-1");
        assertThatThrownBy(() -> principal.check(Permission.WRITE, Namespace.DEFAULT, "sensor-1"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("sensors").hasMessageContaining("write").hasMessageContaining("sensor-1")
                .hasMessageContaining("default");
    }

    @Test
    void nobodyMayDoAnythingAndEverythingMayDoAll() {
        assertThat(Principal.NOBODY.allows(Permission.READ, Namespace.DEFAULT, "s")).isFalse();
        assertThat(Principal.everything("x").allows(Permission.ADMIN, Namespace.of("reductstore.b"), "s")).isTrue();
    }
}
