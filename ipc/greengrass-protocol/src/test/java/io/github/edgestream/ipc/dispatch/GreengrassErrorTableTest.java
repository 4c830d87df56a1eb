package io.github.edgestream.ipc.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.cursor.CursorConflictException;
import io.github.edgestream.core.cursor.ReservationConflictException;
import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.model.ValidationProblem;
import io.github.edgestream.core.stream.FencingTokenMismatchException;
import io.github.edgestream.core.stream.InvalidRecordException;
import io.github.edgestream.core.stream.NamespaceNotFoundException;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.PartitionedStreamException;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.ResponseTooLargeException;
import io.github.edgestream.core.stream.SequenceMismatchException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreLockedException;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.StreamStoreException;
import io.github.edgestream.core.stream.TimestampOrderException;
import io.github.edgestream.core.stream.UpdateNotAllowedException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.ResponseStatus;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins every failure core can report to its Greengrass status code (by number), for every request operation. The
 * exception types are found in core's classes, not listed by hand, so a new one without a row here fails
 * {@link #everyExceptionTypeOfCoreHasARow}.
 */
class GreengrassErrorTableTest {

    /** The code of each failure type, for every operation unless {@link #PER_OPERATION} says otherwise. */
    private static final Map<Class<? extends Throwable>, Integer> CODES = Map.ofEntries(
            Map.entry(InvalidStreamDefinitionException.class, 3),   // InvalidRequest
            Map.entry(StreamAlreadyExistsException.class, 3),       // InvalidRequest
            Map.entry(StreamFullException.class, 3),                // InvalidRequest (message says "full")
            Map.entry(StreamNotFoundException.class, 5),            // ResourceNotFound
            Map.entry(NamespaceNotFoundException.class, 5), // ResourceNotFound
            Map.entry(PayloadTooLargeException.class, 4),           // RequestPayloadTooLarge
            Map.entry(ResponseTooLargeException.class, 7),          // ResponsePayloadTooLarge
            Map.entry(NotEnoughMessagesException.class, 13),        // NotEnoughMessages
            Map.entry(UpdateNotAllowedException.class, 17),         // UpdateNotAllowed
            Map.entry(StoreReadException.class, 14),                // MessageStoreReadError
            Map.entry(StoreWriteException.class, 1),                // UnknownFailure
            Map.entry(StoreClosedException.class, 1),               // UnknownFailure
            Map.entry(StoreLockedException.class, 1),               // UnknownFailure (only at open)
            Map.entry(OutOfMemoryError.class, 15),                  // OutOfMemoryError
            Map.entry(InvalidRecordException.class, 3),             // InvalidRequest
            Map.entry(TimestampOrderException.class, 3),            // InvalidRequest
            Map.entry(PartitionedStreamException.class, 3),         // InvalidRequest
            // Conflict (100) in answer to extensions; InvalidRequest if one ever reached a protocol operation
            Map.entry(SequenceMismatchException.class, 3),
            Map.entry(FencingTokenMismatchException.class, 3),
            Map.entry(CursorConflictException.class, 3),
            Map.entry(ReservationConflictException.class, 3));

    /** What extension operations answer where it differs from {@link #CODES}. */
    private static final Map<Class<? extends Throwable>, Integer> EXTENSION_CODES = Map.of(
            SequenceMismatchException.class, 100,
            FencingTokenMismatchException.class, 100,
            CursorConflictException.class, 100,
            ReservationConflictException.class, 100);

    private static final Map<Operation, Map<Class<? extends Throwable>, Integer>> PER_OPERATION = Map.of(
            Operation.UPDATE_MESSAGE_STREAM, Map.of(StoreWriteException.class, 16), // UpdateFailed
            Operation.UPDATE_IN_NAMESPACE, Map.of(StoreWriteException.class, 16));  // UpdateFailed

    private static final List<Operation> REQUESTS = Arrays.stream(Operation.values())
            .filter(Operation::isRequest).filter(op -> op != Operation.CONNECT).toList();

    @Test
    void everyExceptionTypeOfCoreHasARow() throws Exception {
        Set<String> inCore = exceptionTypesOfCore();

        assertThat(inCore).as("core's exception types (is the scan finding them?)")
                .contains(StreamNotFoundException.class.getName(), InvalidStreamDefinitionException.class.getName());
        assertThat(inCore).as("exception types of core without a pinned Greengrass code; add them to the table"
                + " and to CODES").isSubsetOf(CODES.keySet().stream().map(Class::getName).toList());
    }

    @Test
    void everyFailureMapsToItsPinnedCodeForEveryOperation() {
        for (Operation operation : REQUESTS) {
            for (Map.Entry<Class<? extends Throwable>, Integer> row : CODES.entrySet()) {
                int general = PER_OPERATION.getOrDefault(operation, Map.of()).getOrDefault(row.getKey(),
                        row.getValue());
                int expected = operation.isExtension() ? EXTENSION_CODES.getOrDefault(row.getKey(), general)
                        : general;
                assertThat(GreengrassErrorTable.statusOf(operation, row.getKey()).code())
                        .as("%s failing with %s", operation, row.getKey().getSimpleName()).isEqualTo(expected);
                assertThat(GreengrassErrorTable.isExpected(row.getKey())).as(row.getKey().getSimpleName()).isTrue();
            }
        }
    }

    @Test
    void operationsAreTheSevenRequestsAndTheExtensions() {
        assertThat(REQUESTS).filteredOn(op -> !op.isExtension()).extracting(Operation::code)
                .containsExactlyInAnyOrder(2, 3, 4, 5, 11, 13, 15);
        assertThat(REQUESTS).filteredOn(Operation::isExtension).extracting(Operation::code)
                .containsExactlyInAnyOrder(64, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84);
    }

    @Test
    void argumentChecksAreInvalidRequestsForExtensionsOnlyAndConflictNeverReachesTheProtocolsOwnOperations() {
        assertThat(GreengrassErrorTable.statusOf(Operation.COMMIT_CURSOR, new IllegalArgumentException("name")))
                .isEqualTo(io.github.edgestream.ipc.wire.ResponseStatus.INVALID_REQUEST);
        assertThat(GreengrassErrorTable.statusOf(Operation.APPEND_MESSAGE, new IllegalArgumentException("bug")))
                .isEqualTo(io.github.edgestream.ipc.wire.ResponseStatus.UNKNOWN_FAILURE);
        for (Operation operation : REQUESTS) {
            if (!operation.isExtension()) {
                for (Class<? extends Throwable> type : CODES.keySet()) {
                    assertThat(GreengrassErrorTable.statusOf(operation, type))
                            .isNotEqualTo(io.github.edgestream.ipc.wire.ResponseStatus.CONFLICT);
                }
            }
        }
    }

    @Test
    void unknownFailuresAreUnknownFailureAndNamedAsInternal() {
        IllegalStateException bug = new IllegalStateException("oops");

        assertThat(GreengrassErrorTable.statusOf(Operation.APPEND_MESSAGE, bug))
                .isEqualTo(ResponseStatus.UNKNOWN_FAILURE);
        assertThat(GreengrassErrorTable.isExpected(bug)).isFalse();
        assertThat(GreengrassErrorTable.messageOf(bug))
                .isEqualTo("internal error (IllegalStateException: oops); the server logged the details");
    }

    @Test
    void instancesAreUnwrappedFromCompletionExceptions() {
        Throwable wrapped = new CompletionException(new CompletionException(new StoreWriteException("disk full")));

        assertThat(GreengrassErrorTable.statusOf(Operation.UPDATE_MESSAGE_STREAM, wrapped))
                .isEqualTo(ResponseStatus.UPDATE_FAILED);
        assertThat(GreengrassErrorTable.statusOf(Operation.CREATE_MESSAGE_STREAM, wrapped))
                .isEqualTo(ResponseStatus.UNKNOWN_FAILURE);
        assertThat(GreengrassErrorTable.messageOf(wrapped)).isEqualTo("disk full");
    }

    @Test
    void definitionProblemsAreNamedByTheirPathInTheRequest() {
        // as the handlers said before core's service checked status streams
        InvalidStreamDefinitionException invalid = new InvalidStreamDefinitionException(List.of(
                new ValidationProblem("exportDefinition.s3TaskExecutor[0].statusConfig.statusStreamName", "\"nope\"",
                        "name an existing stream; create the status stream first"),
                ValidationProblem.of("maxSize", 5, "be at least 1024")));

        assertThat(GreengrassErrorTable.messageOf(new CompletionException(invalid))).isEqualTo(
                "definition.exportDefinition.s3TaskExecutor[0].statusConfig.statusStreamName is \"nope\" but must"
                        + " name an existing stream; create the status stream first; definition.maxSize is 5 but must"
                        + " be at least 1024");
    }

    /** The concrete, public Throwable types in core's classes (a directory in the reactor, a jar otherwise). */
    private static Set<String> exceptionTypesOfCore() throws IOException, URISyntaxException {
        Path location = Path.of(StreamStoreException.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        if (Files.isDirectory(location)) {
            return exceptionTypesUnder(location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return exceptionTypesUnder(jar.getPath("/"));
        }
    }

    private static Set<String> exceptionTypesUnder(Path root) throws IOException {
        Path core = root.resolve("io/github/edgestream/core");
        try (Stream<Path> files = Files.walk(core)) {
            return files.map(path -> root.relativize(path).toString())
                    .filter(name -> name.endsWith(".class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .map(GreengrassErrorTableTest::load)
                    .filter(type -> Throwable.class.isAssignableFrom(type) && Modifier.isPublic(type.getModifiers())
                            && !Modifier.isAbstract(type.getModifiers()))
                    .map(Class::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, GreengrassErrorTableTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AssertionError("cannot load " + name, e);
        }
    }
}
