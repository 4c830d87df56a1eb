package io.github.edgestream.ipc.wire;

import io.github.edgestream.core.model.StreamName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The hot path of the protocol, AppendMessage, without a general CBOR parser: the request shape every official
 * client sends, decoded in place (the payload is not copied). Its success response is encoded by hand too
 * ({@link ResponseEncoder#appended}).
 *
 * <pre>
 * request payload (JavaScript/Python: definite map a3; Java: indefinite map bf ... ff; keys in any order):
 *   a3 | 69 "requestId" | 6x..7b text | 64 "name" | 6x..79 text | 67 "payload" | 4x..5a bytes
 *
 * response (protocol section 16):
 *   a3 | 69 "requestId" | text | 66 "status" | 00 | 6e "sequenceNumber" | uint (shortest form)
 * </pre>
 *
 * Anything else (other keys, chunked strings, wrong types, an invalid name) is left to {@link RequestDecoder}, which
 * reports problems precisely: {@link #decode} then returns null. Stateless and thread-safe.
 */
public final class AppendFastPath {

    private static final byte[] REQUEST_ID = "requestId".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAME = "name".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.US_ASCII);
    /** Longer texts cannot be valid (names are 1-255 ASCII characters, request ids 1-512): left to the decoder. */
    private static final int MAX_NAME_BYTES = 255;
    private static final int MAX_REQUEST_ID_BYTES = 512;

    private AppendFastPath() {
    }

    /**
     * The append this payload holds, valid and with its payload a view into {@code cbor}, or null if it is not the
     * plain shape (then use {@link RequestDecoder}).
     */
    public static Request.AppendMessage decode(byte[] cbor) {
        Cursor in = new Cursor(cbor);
        int head = in.next();
        boolean indefinite = head == 0xbf;
        int entries = indefinite ? Integer.MAX_VALUE : head - 0xa0;
        if (!indefinite && (entries < 0 || entries > 23)) {
            return null;
        }
        String requestId = null;
        String name = null;
        ByteBuffer payload = null;
        for (int i = 0; i < entries; i++) {
            if (indefinite && in.peek() == 0xff) {
                in.next();
                break;
            }
            int keyLength = in.length(3);
            if (keyLength < 0) {
                return null;
            }
            int keyStart = in.position;
            in.skip(keyLength);
            if (in.failed) {
                return null;
            }
            if (in.equalsAt(keyStart, keyLength, REQUEST_ID)) {
                requestId = in.text(MAX_REQUEST_ID_BYTES);
            } else if (in.equalsAt(keyStart, keyLength, NAME)) {
                name = in.text(MAX_NAME_BYTES);
            } else if (in.equalsAt(keyStart, keyLength, PAYLOAD)) {
                int length = in.length(2);
                if (length <= 0) {
                    return null;
                }
                int start = in.position;
                in.skip(length);
                payload = ByteBuffer.wrap(cbor, start, length);
            } else {
                return null;
            }
            if (in.failed) {
                return null;
            }
        }
        if (in.position != cbor.length || requestId == null || name == null || payload == null
                || StreamName.check("name", name).isPresent() || !plainRequestId(requestId)) {
            return null;
        }
        return new Request.AppendMessage(requestId, name, payload);
    }

    private static boolean plainRequestId(String id) {
        if (id.isEmpty() || id.length() > 512) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == ',' || c == ' ')) {
                return false;
            }
        }
        return true;
    }

    /** Reads CBOR heads of definite length; any surprise sets {@code failed}. */
    private static final class Cursor {
        private final byte[] data;
        int position;
        boolean failed;

        Cursor(byte[] data) {
            this.data = data;
        }

        int peek() {
            return position < data.length ? data[position] & 0xff : -1;
        }

        int next() {
            if (position >= data.length) {
                failed = true;
                return -1;
            }
            return data[position++] & 0xff;
        }

        void skip(int count) {
            if (count < 0 || count > data.length - position) {
                failed = true;
                position = data.length;
            } else {
                position += count;
            }
        }

        /** The length of a definite string of this major type, or -1. */
        int length(int major) {
            int head = next();
            if (head < 0 || head >> 5 != major) {
                failed = true;
                return -1;
            }
            int info = head & 0x1f;
            long length;
            if (info < 24) {
                length = info;
            } else if (info == 24) {
                length = next();
            } else if (info == 25) {
                length = (next() << 8) | next();
            } else if (info == 26) {
                length = ((long) next() << 24) | (next() << 16) | (next() << 8) | next();
            } else {
                failed = true; // 64-bit lengths and indefinite (chunked) strings: the general decoder's job
                return -1;
            }
            if (failed || length > data.length - position) {
                failed = true;
                return -1;
            }
            return (int) length;
        }

        /** A definite text of at most {@code maxBytes}, or null (and {@code failed}) before anything is decoded. */
        String text(int maxBytes) {
            int length = length(3);
            if (length < 0 || length > maxBytes) {
                failed = true;
                return null;
            }
            String text = new String(data, position, length, StandardCharsets.UTF_8);
            position += length;
            return text;
        }

        boolean equalsAt(int start, int length, byte[] expected) {
            if (length != expected.length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (data[start + i] != expected[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
