package io.github.edgestream.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.edgestream.config.Setting;
import io.github.edgestream.daemon.DaemonConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The systemd unit, the Greengrass recipe and the .deb's config, checked against what the daemon reads. */
class DistributionFilesTest {

    private static final Path UNIT = Path.of("src", "dist", "systemd", "edgestream.service");
    private static final Path RECIPE = Path.of("src", "dist", "greengrass", "recipe.yaml");
    private static final Path REPLACEMENT_RECIPE = Path.of("src", "dist", "greengrass",
            "aws.greengrass.StreamManager.yaml");
    /** The parameters of aws.greengrass.StreamManager and their documented defaults ("" = none). */
    private static final Map<String, String> GREENGRASS_PARAMETERS = Map.of(
            "STREAM_MANAGER_STORE_ROOT_DIR", "",
            "STREAM_MANAGER_SERVER_PORT", "8088",
            "STREAM_MANAGER_AUTHENTICATE_CLIENT", "true",
            "STREAM_MANAGER_EXPORTER_MAX_BANDWIDTH", "",
            "STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE", "5",
            "STREAM_MANAGER_EXPORTER_S3_DESTINATION_MULTIPART_UPLOAD_MIN_PART_SIZE_BYTES", "5242880",
            "JVM_ARGS", "",
            "LOG_LEVEL", "INFO",
            // ours: under Greengrass the environment is the only way to configure the daemon
            "EDGESTREAM_OBSERVABILITY_PORT", "9110",
            "EDGESTREAM_HTTP_PORT", "8089");

    private static Map<String, String> unit() throws Exception {
        var settings = new HashMap<String, String>();
        for (String line : Files.readAllLines(UNIT)) {
            if (!line.startsWith("#") && line.contains("=")) {
                settings.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return settings;
    }

    @Test
    void theUnitSignalsReadinessRestartsOnFailureAndIsHardened() throws Exception {
        var unit = unit();

        assertThat(unit).containsEntry("Type", "notify").containsEntry("NotifyAccess", "main")
                .containsEntry("Restart", "on-failure").containsEntry("User", "edgestream")
                .containsEntry("ExecStart", "/opt/edgestream/bin/edgestream run --config /etc/edgestream/edgestream.yaml")
                .containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict")
                .containsEntry("ReadWritePaths", "/var/lib/edgestream").containsEntry("PrivateTmp", "yes")
                .containsEntry("LimitNOFILE", "65536").containsEntry("CapabilityBoundingSet", "")
                .containsEntry("WantedBy", "multi-user.target");
        // the JVM writes the code it compiles: this would kill it
        assertThat(unit).doesNotContainKey("MemoryDenyWriteExecute");
    }

    @Test
    void theRecipeHasTheStreamManagersParametersAndHandsEachToTheDaemon() throws Exception {
        checkRecipe(new ObjectMapper(new YAMLFactory()).readTree(RECIPE.toFile()));
    }

    /** Dependents of aws.greengrass.StreamManager ask for 2.x; the rest must be what our own recipe does. */
    @Test
    void theReplacementRecipeIsOursUnderTheStreamManagersNameAndA2xVersion() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode ours = yaml.readTree(RECIPE.toFile());
        JsonNode replacement = yaml.readTree(REPLACEMENT_RECIPE.toFile());

        checkRecipe(replacement);
        assertThat(replacement.path("ComponentName").asText()).isEqualTo("aws.greengrass.StreamManager");
        assertThat(replacement.path("ComponentVersion").asText()).matches("2\\.\\d+\\.\\d+");
        assertThat(ours.path("ComponentName").asText()).isEqualTo("io.github.edgestream.StreamManager");
        for (String part : List.of("ComponentConfiguration", "ComponentDependencies", "Manifests")) {
            assertThat(replacement.path(part)).as(part).isEqualTo(ours.path(part));
        }
    }

    private static void checkRecipe(JsonNode recipe) {
        // exporters get credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI, which the token exchange service sets
        JsonNode tes = recipe.path("ComponentDependencies").path("aws.greengrass.TokenExchangeService");
        assertThat(tes.path("DependencyType").asText()).isEqualTo("HARD");
        assertThat(tes.path("VersionRequirement").asText()).isNotBlank();
        JsonNode defaults = recipe.path("ComponentConfiguration").path("DefaultConfiguration");
        JsonNode lifecycle = recipe.path("Manifests").get(0).path("Lifecycle");

        Set<String> readByTheDaemon = new HashSet<>(List.of("JVM_ARGS"));   // the launcher reads JVM_ARGS
        for (Setting<?> setting : DaemonConfig.SCHEMA.settings()) {
            readByTheDaemon.addAll(setting.environmentVariables());
        }
        for (var parameter : GREENGRASS_PARAMETERS.entrySet()) {
            assertThat(defaults.path(parameter.getKey()).asText(null)).as(parameter.getKey())
                    .isEqualTo(parameter.getValue());
            assertThat(lifecycle.path("Setenv").path(parameter.getKey()).asText())
                    .isEqualTo("{configuration:/" + parameter.getKey() + "}");
            assertThat(readByTheDaemon).as("the daemon reads " + parameter.getKey()).contains(parameter.getKey());
        }
        assertThat(lifecycle.path("Run").path("Script").asText()).contains("bin/edgestream\" run");
        assertThat(recipe.path("Manifests").get(0).path("Artifacts").get(0).path("URI").asText())
                .endsWith("edgestream-greengrass-${project.version}.zip");
    }

    // the .deb's conffile is the shipped defaults with the store under /var/lib/edgestream
    @Test
    void theDebsConfigIsTheDefaultsWithTheStoreUnderVarLib() throws Exception {
        String defaults = Files.readString(Path.of("src", "dist", "conf", "edgestream.yaml"));
        String deb = Files.readString(Path.of("src", "deb", "conf", "edgestream.yaml"));

        assertThat(deb).isEqualTo(defaults.replace("  rootDirectory: edgestream-data\n",
                "  rootDirectory: /var/lib/edgestream\n"));
        assertThat(deb).contains("rootDirectory: /var/lib/edgestream");
    }
}
