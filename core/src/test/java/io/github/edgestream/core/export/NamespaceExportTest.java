package io.github.edgestream.core.export;

import static io.github.edgestream.core.export.ScriptedExporterProvider.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.ExportEvent.Type;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StreamStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streams of namespaces other than the default (S2 basins {@code s2.<basin>}) carry exports like any other: the
 * runtime follows every namespace's catalogue, whether the namespace existed at start or was created after, and a
 * stream is known by its namespace and name.
 */
class NamespaceExportTest extends ExportRuntimeTestBase {

    private static final Namespace PLANT_A = Namespace.of("s2.plant-a");
    private static final Namespace PLANT_B = Namespace.of("s2.plant-b");
    private static final StreamName READINGS = StreamName.of("readings");

    private static MessageStream create(StreamStore catalogue, String name, ExportConfig... exports) {
        return catalogue.create(StreamDefinition.builder(name, StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.FILE).exports(List.of(exports)).build());
    }

    private ExportStatus status(Namespace namespace, String stream, String export) {
        var definition = store.findNamespace(namespace).orElseThrow().get(StreamName.of(stream)).definition();
        return runtime.inNamespace(namespace).statuses(definition).stream()
                .filter(s -> s.exportIdentifier().equals(export)).findFirst().orElseThrow();
    }

    @Test
    void exportsTheStreamsOfANamespaceCreatedAfterTheRuntimeStarted() {
        StreamStore basin = store.createNamespace(PLANT_A);
        var stream = create(basin, "readings", export("to-cloud"));
        append(stream, 5);

        await("0..4 delivered", () -> exporter.sent("to-cloud").size() == 5);
        assertThat(exporter.sent("to-cloud")).containsExactlyElementsOf(range(0, 4));
        await("the status says so", () -> status(PLANT_A, "readings", "to-cloud").lastExportedSequenceNumber() == 4);
        assertThat(status(PLANT_A, "readings", "to-cloud").exportedMessages()).isEqualTo(5);
        assertThat(events.events()).filteredOn(e -> e.type() == Type.DELIVERED)
                .allSatisfy(e -> assertThat(e.namespace()).isEqualTo(PLANT_A));
    }

    @Test
    void anExportAddedByUpdatingANamespacedStreamStartsFromItsStart() {
        StreamStore basin = store.createNamespace(PLANT_A);
        var stream = create(basin, "readings");
        append(stream, 3);
        assertThat(runtime.running(PLANT_A, READINGS)).isEmpty();

        basin.update(stream.definition().toBuilder().exports(List.of(export("to-cloud"))).build());
        append(stream, 2);

        await("0..4 delivered", () -> exporter.sent("to-cloud").size() == 5);
        assertThat(exporter.sent("to-cloud")).containsExactlyElementsOf(range(0, 4));
    }

    @Test
    void theExportsOfNamespacesThatExistAtStartResumeWhereTheyStopped() {
        var stream = create(store.createNamespace(PLANT_A), "readings", export("to-cloud"));
        append(stream, 4);
        await("0..3 delivered", () -> exporter.sent("to-cloud").size() == 4);

        restart(ExportRuntimeSettings.defaults());
        await("running again", () -> runtime.running(PLANT_A, READINGS).contains("to-cloud"));
        append(store.findNamespace(PLANT_A).orElseThrow().get(READINGS), 2);

        await("4..5 delivered", () -> exporter.sent("to-cloud").size() == 6);
        assertThat(exporter.sent("to-cloud")).as("nothing sent twice").containsExactlyElementsOf(range(0, 5));
    }

    @Test
    void equalNamesInTwoNamespacesAndTheDefaultExportIndependently() {
        var inDefault = create("readings", export("default-export"));
        var inA = create(store.createNamespace(PLANT_A), "readings", export("a-export"));
        var inB = create(store.createNamespace(PLANT_B), "readings", export("b-export"));
        append(inDefault, 2);
        append(inA, 3);
        append(inB, 4);

        await("all delivered", () -> exporter.sent("default-export").size() == 2
                && exporter.sent("a-export").size() == 3 && exporter.sent("b-export").size() == 4);
        assertThat(exporter.sent("default-export")).containsExactlyElementsOf(range(0, 1));
        assertThat(exporter.sent("a-export")).containsExactlyElementsOf(range(0, 2));
        assertThat(exporter.sent("b-export")).containsExactlyElementsOf(range(0, 3));
        await("statuses", () -> status("readings", "default-export").lastExportedSequenceNumber() == 1
                && status(PLANT_A, "readings", "a-export").lastExportedSequenceNumber() == 2
                && status(PLANT_B, "readings", "b-export").lastExportedSequenceNumber() == 3);
        assertThat(runtime.running(Namespace.DEFAULT, READINGS)).containsExactly("default-export");
        assertThat(runtime.running(PLANT_A, READINGS)).containsExactly("a-export");
        assertThat(runtime.running(PLANT_B, READINGS)).containsExactly("b-export");
        assertThat(runtime.inNamespace(PLANT_A).statuses(inB.definition()))
                .as("b's export is not running in a").allSatisfy(s -> assertThat(s.exportedMessages()).isZero());
    }

    @Test
    void deletingAStreamOrItsNamespaceStopsItsExports() {
        StreamStore basinA = store.createNamespace(PLANT_A);
        create(basinA, "readings", export("a-export"));
        create(store.createNamespace(PLANT_B), "readings", export("b-export"));
        var defaultStream = create("readings", export("default-export"));
        await("all running", () -> runtime.running(PLANT_A, READINGS).size() == 1
                && runtime.running(PLANT_B, READINGS).size() == 1 && exporter.created() == 3);

        basinA.delete(READINGS);
        await("a's export stopped", () -> runtime.running(PLANT_A, READINGS).isEmpty());
        store.deleteNamespace(PLANT_B);
        await("b's export stopped", () -> runtime.running(PLANT_B, READINGS).isEmpty());
        await("both exporters closed", () -> exporter.closed() == 2);

        append(defaultStream, 2);
        await("the default stream's export goes on", () -> exporter.sent("default-export").size() == 2);
        assertThat(exporter.sent("a-export")).isEmpty();
        assertThat(exporter.sent("b-export")).isEmpty();
    }
}
