package io.github.edgestream.ipc.fuzz;

import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.RequestEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile request frames for the protocol fuzzers (this module's {@code ProtocolFuzzTest}, packaging's fault
 * suite): valid frames of every request, and mutations of them. Deterministic for a given {@link Random}.
 *
 * <p>Not thread-safe; one instance per fuzzing thread.
 */
public final class FrameMutator {

    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private final Random random;
    private final List<byte[]> seeds;
    private final int hugeTextBytes;
    private final int hugeEvery;

    /**
     * @param stream        the stream the valid frames name (it should exist)
     * @param hugeTextBytes how long the huge texts of {@link Kind#HUGE_STRING} are at most; 0 leaves that kind out
     * @param hugeEvery     one input in about this many is a {@link Kind#HUGE_STRING} (they are costly to send)
     */
    public FrameMutator(Random random, String stream, int hugeTextBytes, int hugeEvery) {
        this.random = random;
        this.seeds = seedFrames(stream);
        this.hugeTextBytes = hugeTextBytes;
        this.hugeEvery = Math.max(1, hugeEvery);
    }

    /** What a frame of {@link #next()} was made as. */
    public enum Kind {
        VALID, FLIPPED, CUT_SHORT, RANDOM_BYTES, REPEATED, LYING_LENGTH, OTHER_OPERATION, RANDOM_CBOR,
        GROWN_STRING_HEADER, WRONG_TYPES, HUGE_STRING, DEEP_NESTING
    }

    /** One input and what it is. */
    public record Input(Kind kind, byte[] bytes) {
    }

    /** The next input: a huge string about once in {@code hugeEvery}, else any other kind, equally likely. */
    public Input next() {
        Kind kind;
        if (hugeTextBytes > 0 && random.nextInt(hugeEvery) == 0) {
            kind = Kind.HUGE_STRING;
        } else {
            Kind[] kinds = Kind.values();
            do {
                kind = kinds[random.nextInt(kinds.length)];
            } while (kind == Kind.HUGE_STRING);
        }
        return new Input(kind, make(kind));
    }

    /** A valid frame of a random request. */
    public byte[] valid() {
        return seeds.get(random.nextInt(seeds.size())).clone();
    }

    private byte[] make(Kind kind) {
        byte[] out = valid();
        switch (kind) {
            case FLIPPED -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case CUT_SHORT -> out = Arrays.copyOf(out, 5 + random.nextInt(out.length - 4));
            case RANDOM_BYTES -> {
                out = new byte[1 + random.nextInt(64)];
                random.nextBytes(out);
            }
            case REPEATED -> { // the same frame twice, with a flipped byte in the second
                byte[] twice = new byte[out.length * 2];
                System.arraycopy(out, 0, twice, 0, out.length);
                System.arraycopy(out, 0, twice, out.length, out.length);
                twice[out.length + 5 + random.nextInt(out.length - 5)] ^= 0x5a;
                out = twice;
            }
            case LYING_LENGTH -> {
                int length = random.nextBoolean() ? random.nextInt() : random.nextInt(out.length * 2 + 2);
                out[0] = (byte) (length >>> 24);
                out[1] = (byte) (length >>> 16);
                out[2] = (byte) (length >>> 8);
                out[3] = (byte) length;
            }
            case OTHER_OPERATION -> out[4] = (byte) random.nextInt(256);
            case RANDOM_CBOR -> { // the payload replaced with random CBOR-ish bytes, the length kept right
                byte[] payload = new byte[1 + random.nextInt(40)];
                for (int i = 0; i < payload.length; i++) {
                    payload[i] = (byte) (random.nextBoolean() ? 0xa0 + random.nextInt(0x60) : random.nextInt(256));
                }
                out = frame(out[4], payload);
            }
            case GROWN_STRING_HEADER -> { // a string header claiming more than there is
                out[5 + random.nextInt(out.length - 5)] = (byte) (0x5a + random.nextInt(2));
            }
            case WRONG_TYPES -> out = raw(Operation.APPEND_MESSAGE, List.of(new Object[] {"requestId", "w"},
                    new Object[] {"name", random.nextInt()}, new Object[] {"payload", "text, not bytes"}));
            case HUGE_STRING -> {
                String huge = "h".repeat(hugeTextBytes / 4 + random.nextInt(hugeTextBytes - hugeTextBytes / 4 + 1));
                out = switch (random.nextInt(3)) {
                    case 0 -> raw(Operation.LIST_STREAMS, List.<Object[]>of(new Object[] {"requestId", huge}));
                    case 1 -> raw(Operation.APPEND_MESSAGE, List.of(new Object[] {"requestId", "h"},
                            new Object[] {"name", huge}, new Object[] {"payload", new byte[] {1}}));
                    default -> raw(Operation.READ_MESSAGES, List.of(new Object[] {"requestId", "h"},
                            new Object[] {"streamName", huge}));
                };
            }
            case DEEP_NESTING -> { // {"requestId": "d", "x": [[[[...]]]]}: far deeper than any request
                int depth = 100 + random.nextInt(5000);
                byte[] payload = new byte[1 + 10 + 2 + 2 + depth];
                int at = 0;
                payload[at++] = (byte) 0xa2;
                payload[at++] = 0x69;
                for (byte b : "requestId".getBytes(StandardCharsets.US_ASCII)) {
                    payload[at++] = b;
                }
                payload[at++] = 0x61;
                payload[at++] = 'd';
                payload[at++] = 0x61;
                payload[at++] = 'x';
                for (int i = 0; i < depth; i++) {
                    payload[at++] = (byte) 0x81; // an array of one element: the next array
                }
                out = frame((byte) Operation.LIST_STREAMS.code(), Arrays.copyOf(payload, at));
            }
            default -> { // VALID: well-formed requests mixed in
            }
        }
        return out;
    }

    private static byte[] frame(byte operation, byte[] payload) {
        int length = payload.length + 1;
        byte[] framed = new byte[4 + length];
        framed[0] = (byte) (length >>> 24);
        framed[1] = (byte) (length >>> 16);
        framed[2] = (byte) (length >>> 8);
        framed[3] = (byte) length;
        framed[4] = operation;
        System.arraycopy(payload, 0, framed, 5, payload.length);
        return framed;
    }

    private static byte[] raw(Operation operation, List<Object[]> fields) {
        return bytes(RequestEncoder.raw(ALLOC, operation.code(), fields));
    }

    private static byte[] bytes(ByteBuf frame) {
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }

    /** Valid frames of every request, to mutate. */
    private static List<byte[]> seedFrames(String stream) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(bytes(RequestEncoder.appendMessage(ALLOC, "f1", stream, "payload".getBytes(StandardCharsets.UTF_8))));
        frames.add(bytes(RequestEncoder.readMessages(ALLOC, "f2", stream, null)));
        frames.add(bytes(RequestEncoder.listStreams(ALLOC, "f3")));
        frames.add(bytes(RequestEncoder.describeMessageStream(ALLOC, "f4", stream)));
        frames.add(bytes(RequestEncoder.deleteMessageStream(ALLOC, "f5", "fuzz-victim")));
        frames.add(raw(Operation.CREATE_MESSAGE_STREAM, List.of(new Object[] {"requestId", "f6"},
                new Object[] {"definition", Map.of("name", "fuzz-created", "strategyOnFull", 1, "maxSize", 4096,
                        "streamSegmentSize", 1024, "exportDefinition",
                        Map.of("kinesis", List.of(Map.of("identifier", "k", "kinesisStreamName", "x"))))})));
        frames.add(raw(Operation.READ_MESSAGES, List.of(new Object[] {"requestId", "f7"},
                new Object[] {"streamName", stream}, new Object[] {"readMessagesOptions",
                        Map.of("minMessageCount", 1, "maxMessageCount", 5, "readTimeoutMillis", 0)})));
        return frames;
    }
}
