package io.github.edgestream.api.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OciSettingsTest {

    @Test
    void optionsOverrideTheDefaults() {
        OciSettings settings = OciSettings.from(Map.of("region", "eu-frankfurt-1", "compartmentId",
                "ocid1.compartment.oc1..plant", "persistence", "Memory", "strategyOnFull", "OverwriteOldestData",
                "flushOnWrite", "true", "messagesEndpoint", "http://gateway.local:8089/"));

        assertThat(settings.region()).isEqualTo("eu-frankfurt-1");
        assertThat(settings.compartmentId()).isEqualTo("ocid1.compartment.oc1..plant");
        assertThat(settings.persistence()).isEqualTo(Persistence.MEMORY);
        assertThat(settings.strategyOnFull()).isEqualTo(StrategyOnFull.OVERWRITE_OLDEST_DATA);
        assertThat(settings.messagesEndpoint()).isEqualTo(Optional.of("http://gateway.local:8089"));
        assertThat(OciSettings.from(Map.of())).isEqualTo(OciSettings.defaults());
    }

    @Test
    void everyBadOptionIsNamedAtOnce() {
        assertThatThrownBy(() -> OciSettings.from(Map.of("region", "Mars", "compartmentId", "x",
                "messagesEndpoint", "ftp://host/path", "colour", "blue")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region")
                .hasMessageContaining("compartmentId")
                .hasMessageContaining("messagesEndpoint")
                .hasMessageContaining("colour");
    }
}
