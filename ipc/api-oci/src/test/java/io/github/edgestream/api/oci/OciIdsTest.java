package io.github.edgestream.api.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.Namespace;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OCIDs carry the namespace and name they stand for, and nothing else decodes to a stream. */
class OciIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "événements/eu", "with space, comma.dot-dash_", "x/y/z"})
    void aStreamOcidDecodesToItsNamespaceAndName(String name) {
        for (Namespace ns : new Namespace[] {Namespace.DEFAULT, Namespace.of("oci.abcdefghijklmnopqrstuvwxyz")}) {
            String id = OciIds.stream("eu-frankfurt-1", ns, name);
            assertThat(id).matches("ocid1\\.stream\\.oc1\\.eu-frankfurt-1\\.[a-z2-7]+");
            assertThat(OciIds.stream(id)).isEqualTo(new OciIds.StreamRef(ns, name));
        }
    }

    @Test
    void base32RoundTripsEveryLength() {
        StringBuilder text = new StringBuilder();
        for (int length = 0; length < 40; length++) {
            String encoded = OciIds.base32(text.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(encoded).matches("[a-z2-7]*");
            assertThat(OciIds.decode(encoded)).contains(text.toString());
            text.append((char) ('a' + length % 26));
        }
        assertThat(OciIds.decode("8")).isEmpty();
        assertThat(OciIds.decode("b")).as("trailing bits set").isEmpty();
    }

    @Test
    void ocidsOfOtherNamespacesOrMalformedOnesAreNotFound() {
        String basin = OciIds.stream("us-ashburn-1", Namespace.of("s2.basin"), "orders");
        assertThatThrownBy(() -> OciIds.stream(basin)).isInstanceOfSatisfying(OciException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> OciIds.stream("ocid1.stream.oc1.iad." + OciIds.base32("noslash".getBytes())))
                .isInstanceOf(OciException.class);
        assertThatThrownBy(() -> OciIds.stream("ocid1.streampool.oc1.iad.default")).isInstanceOf(OciException.class);
        assertThatThrownBy(() -> OciIds.stream(null)).hasMessageContaining("(absent)");
    }

    @Test
    void poolOcidsRoundTripAndTheDefaultPoolIsTheDefaultNamespace() {
        Namespace fresh = OciIds.newPool();
        assertThat(fresh.value()).matches("oci\\.[a-z2-7]{26}");
        assertThat(OciIds.isPool(fresh)).isTrue();
        assertThat(OciIds.pool(OciIds.pool("ap-tokyo-1", fresh))).isEqualTo(fresh);
        assertThat(OciIds.pool("ocid1.streampool.oc1.iad.default")).isEqualTo(Namespace.DEFAULT);
        assertThat(OciIds.isPool(Namespace.of("s2.basin"))).isFalse();
        assertThatThrownBy(() -> OciIds.pool("ocid1.streampool.oc1.iad.short")).isInstanceOf(OciException.class);
    }
}
