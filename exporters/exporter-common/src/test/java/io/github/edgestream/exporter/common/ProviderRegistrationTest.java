package io.github.edgestream.exporter.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportKind;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Every exporter module extends this: its provider is found through {@link ServiceLoader} (the
 * {@code META-INF/services} line is there and names the right class) and serves exactly its kind.
 */
public abstract class ProviderRegistrationTest {

    protected abstract ExportKind kind();

    protected abstract Class<? extends ExporterProvider> providerClass();

    @Test
    void serviceLoaderFindsExactlyOneProviderOfThisKindAndItIsThisModules() {
        var providers = ServiceLoader.load(ExporterProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.kind() == kind())
                .toList();

        assertThat(providers).hasSize(1);
        assertThat(providers.get(0)).isInstanceOf(providerClass());
    }
}
