package io.github.edgestream.ipc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.ValidationProblem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text fields are bounded while they are decoded, before anything is materialised: a frame carrying megabytes of
 * text in a field gets a precise answer (field, limit) and costs the server a few kilobytes, not megabytes. Without
 * the bound, decoding one such field allocated (and Jackson's buffer pool then kept) twice its size in chars.
 */
class RequestLimitsTest {

    private static final String HUGE = "x".repeat(4 << 20);
    /** Generous: decoding must not come near the 8 MiB that materialising HUGE as chars would take. */
    private static final long MAX_ALLOCATED = 1 << 20;

    private static byte[] payload(int operation, List<Object[]> fields) {
        ByteBuf frame = RequestEncoder.raw(UnpooledByteBufAllocator.DEFAULT, operation, fields);
        try {
            byte[] all = ByteBufUtil.getBytes(frame);
            return java.util.Arrays.copyOfRange(all, 5, all.length); // 4 length bytes and the operation byte
        } finally {
            frame.release();
        }
    }

    private static long allocatedBy(ThrowingRunnable work) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static Stream<Arguments> hugeTexts() {
        return Stream.of(
                Arguments.of(Operation.APPEND_MESSAGE, List.of(new Object[] {"requestId", "r1"},
                        new Object[] {"name", HUGE}, new Object[] {"payload", new byte[] {1}}), "name",
                        "be 1 to 255 characters"),
                Arguments.of(Operation.READ_MESSAGES, List.of(new Object[] {"requestId", "r1"},
                        new Object[] {"streamName", HUGE}), "streamName", "be 1 to 255 characters"),
                Arguments.of(Operation.DESCRIBE_MESSAGE_STREAM, List.of(new Object[] {"requestId", "r1"},
                        new Object[] {"name", HUGE}), "name", "be 1 to 255 characters"),
                Arguments.of(Operation.CREATE_MESSAGE_STREAM, List.of(new Object[] {"requestId", "r1"},
                        new Object[] {"definition", Map.of("name", "s", "strategyOnFull", 0,
                                "exportDefinition", Map.of("http", List.of(Map.of("identifier", "h", "uri", HUGE)))
                        )}), "definition.exportDefinition.http[0].uri", "be at most 16384 characters"),
                Arguments.of(Operation.CONNECT, List.of(new Object[] {"requestId", "r1"},
                        new Object[] {"protocolVersion", "1.1.0"}, new Object[] {"authToken", HUGE}), "authToken",
                        "be at most 16384 characters"));
    }

    @ParameterizedTest
    @MethodSource("hugeTexts")
    void aHugeTextIsAnsweredWithItsFieldAndLimitWithoutBeingMaterialised(Operation operation, List<Object[]> fields,
            String field, String rule) throws Exception {
        byte[] payload = payload(operation.code(), fields);
        DecodedRequest[] decoded = new DecodedRequest[1];

        long allocated = allocatedBy(() -> decoded[0] = RequestDecoder.decode(operation, payload));

        assertThat(decoded[0].request().requestId()).isEqualTo("r1");
        assertThat(decoded[0].problems()).extracting(ValidationProblem::field).containsExactly(field);
        assertThat(decoded[0].problemMessage()).contains(rule).contains("a text longer than 16384 characters");
        assertThat(allocated).as("bytes allocated to decode a request with 4 MiB of text").isLessThan(MAX_ALLOCATED);
    }

    @Test
    void aHugeRequestIdCannotBeAnsweredAndIsNotMaterialisedEither() throws Exception {
        byte[] payload = payload(Operation.LIST_STREAMS.code(), List.<Object[]>of(new Object[] {"requestId", HUGE}));

        long allocated = allocatedBy(() -> assertThatThrownBy(() -> RequestDecoder.decode(Operation.LIST_STREAMS,
                payload)).isInstanceOf(MalformedRequestException.class).hasMessageContaining("requestId"));

        assertThat(allocated).isLessThan(MAX_ALLOCATED);
    }

    @Test
    void theAppendFastPathLeavesOverlongTextsToTheDecoder() {
        byte[] longName = payload(Operation.APPEND_MESSAGE.code(), List.of(new Object[] {"requestId", "r1"},
                new Object[] {"name", "n".repeat(256)}, new Object[] {"payload", new byte[] {1}}));
        byte[] longId = payload(Operation.APPEND_MESSAGE.code(), List.of(new Object[] {"requestId", "r".repeat(513)},
                new Object[] {"name", "n"}, new Object[] {"payload", new byte[] {1}}));
        byte[] plain = payload(Operation.APPEND_MESSAGE.code(), List.of(new Object[] {"requestId", "r1"},
                new Object[] {"name", "n".repeat(255)}, new Object[] {"payload", new byte[] {1}}));

        assertThat(AppendFastPath.decode(longName)).isNull();
        assertThat(AppendFastPath.decode(longId)).isNull();
        assertThat(AppendFastPath.decode(plain)).isNotNull();
    }

    @Test
    void textsUpToTheLimitAreStillDecodedAndCheckedByTheirOwnRules() throws Exception {
        byte[] payload = payload(Operation.APPEND_MESSAGE.code(), List.of(new Object[] {"requestId", "r1"},
                new Object[] {"name", "n".repeat(16_384)}, new Object[] {"payload", new byte[] {1}}));

        DecodedRequest decoded = RequestDecoder.decode(Operation.APPEND_MESSAGE, payload);

        assertThat(decoded.problemMessage()).contains("name is \"nnn").contains("(16384 characters)");
    }
}
