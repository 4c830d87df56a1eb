package io.github.edgestream.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.edgestream.api.kinesis.archfixture.ApiReachingIntoGreengrass;
import io.github.edgestream.core.archfixture.CoreReachingIntoIpc;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.archfixture.LegacyProtocolCode;
import io.github.edgestream.core.model.archfixture.LegacyStreamDraft;
import io.github.edgestream.exporter.kinesis.archfixture.ExporterReachingIntoTheStore;
import io.github.edgestream.ipc.archfixture.IpcEndpoint;
import io.github.edgestream.ipc.client.archfixture.ClientUsingTheServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Enforces the module rules of {@link ModuleRules} on the production classes of every module, so that a forbidden
 * import fails {@code mvn verify}; and checks, on deliberately bad fixture classes, that the rules do catch what
 * they claim to catch.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the test-jars packaging's own tests use (core's, ipc's, the exporters') are tests, not production
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.github.edgestream");

    @TestFactory
    Stream<DynamicTest> productionCodeFollowsEveryModuleRule() {
        assertThat(PRODUCTION.containPackage("io.github.edgestream.core.stream")).as("core was imported").isTrue();
        return ModuleRules.all().stream().map(rule -> DynamicTest.dynamicTest(rule.getDescription(),
                () -> rule.check(PRODUCTION)));
    }

    private static boolean violates(ArchRule rule, Class<?>... classes) {
        return rule.evaluate(new ClassFileImporter().importClasses(classes)).hasViolation();
    }

    @Test
    void coreReachingIntoAnotherModuleIsCaught() {
        assertThat(violates(ModuleRules.CORE_USES_NO_OTHER_MODULE_AND_NO_INFRASTRUCTURE,
                CoreReachingIntoIpc.class, IpcEndpoint.class)).isTrue();
        assertThat(violates(ModuleRules.CORE_USES_NO_OTHER_MODULE_AND_NO_INFRASTRUCTURE, IpcEndpoint.class))
                .isFalse();
    }

    @Test
    void anExporterReachingPastTheSpiIsCaught() {
        assertThat(violates(ModuleRules.EXPORTERS_USE_ONLY_THE_EXPORT_SPI_THE_MODEL_AND_COMMON,
                ExporterReachingIntoTheStore.class)).isTrue();
        assertThat(violates(ModuleRules.INTERNAL_PACKAGES_ARE_PRIVATE_TO_THEIR_MODULE,
                ExporterReachingIntoTheStore.class)).as("it also uses core's internals").isTrue();
    }

    @Test
    void anApiReachingIntoTheGreengrassModulesIsCaught() {
        assertThat(violates(ModuleRules.APIS_USE_ONLY_HTTP_AND_CORE, ApiReachingIntoGreengrass.class)).isTrue();
        assertThat(violates(ModuleRules.APIS_USE_ONLY_HTTP_AND_CORE, ExporterReachingIntoTheStore.class))
                .as("not an API").isFalse();
    }

    @Test
    void theGreengrassClientUsingServerClassesIsCaught() {
        assertThat(violates(ModuleRules.THE_GREENGRASS_CLIENT_KNOWS_NO_SERVER_CLASS, ClientUsingTheServer.class))
                .isTrue();
        assertThat(violates(ModuleRules.THE_GREENGRASS_CLIENT_KNOWS_NO_SERVER_CLASS, IpcEndpoint.class)).isFalse();
    }

    @Test
    void protocolVocabularyInCoresModelIsCaught() {
        assertThat(violates(ModuleRules.CORE_MODEL_HAS_NO_PROTOCOL_VOCABULARY, LegacyStreamDraft.class)).isTrue();
        assertThat(violates(ModuleRules.CORE_MODEL_HAS_NO_PROTOCOL_VOCABULARY, LegacyProtocolCode.class)).isTrue();
        assertThat(violates(ModuleRules.CORE_MODEL_HAS_NO_PROTOCOL_VOCABULARY, DataSize.class)).isFalse();
    }

    @Test
    void modulesAreNamedByTheirPackages() {
        assertThat(ModuleRules.moduleOf("io.github.edgestream.core.stream.internal.chronicle")).isEqualTo("core");
        assertThat(ModuleRules.moduleOf("io.github.edgestream.exporter.kinesis")).isEqualTo("exporter.kinesis");
        assertThat(ModuleRules.moduleOf("io.github.edgestream.exporter.common.aws")).isEqualTo("exporter.common");
        assertThat(ModuleRules.moduleOf("io.github.edgestream.api.kinesis.iterator")).isEqualTo("api.kinesis");
        assertThat(ModuleRules.moduleOf("io.github.edgestream.http.auth")).isEqualTo("http");
    }
}
