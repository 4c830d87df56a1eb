package io.github.edgestream.api.oci;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.edgestream.core.model.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Writes GetMessages' answer, a JSON array of {@code {"stream","partition","key","value","offset","timestamp"}}, by
 * hand: each partition's constant head (stream name, partition) is made once, keys and values are base64-encoded by
 * the JDK's encoder into one buffer, times come from {@link OciResponseEncoder#timeMicros} (its text of the second is
 * cached). What Jackson's generator cost per message was most of the encoding of a page of 1 KiB messages.
 *
 * <p>Not thread-safe; one per answer.
 */
final class MessagesWriter {

    private static final byte[] NULL_KEY = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = ",\"value\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = "\",\"offset\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP = ",\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"}".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final OutputStream out;
    private final byte[] buffer = new byte[32 * 1024];
    private byte[] scratch = new byte[2048];
    private int position;

    MessagesWriter(OutputStream out) {
        this.out = out;
    }

    /** The whole answer: every batch's messages, in order, then the end of the array. */
    void write(String stream, List<MessageOperations.Batch> batches) throws IOException {
        byte[] name = JsonStringEncoder.getInstance().quoteAsUTF8(stream);
        raw((byte) '[');
        boolean first = true;
        for (MessageOperations.Batch batch : batches) {
            byte[] head = concat("{\"stream\":\"", name, "\",\"partition\":\"" + batch.partition() + "\",\"key\":");
            for (Message message : batch.messages()) {
                if (!first) {
                    raw((byte) ',');
                }
                first = false;
                raw(head);
                if (message.hasKey()) {
                    raw((byte) '"');
                    base64(message.key());
                    raw((byte) '"');
                } else {
                    raw(NULL_KEY);
                }
                raw(VALUE);
                base64(message.payload());
                raw(OFFSET);
                ascii(Long.toString(message.sequenceNumber()));
                raw(TIMESTAMP);
                ascii(OciResponseEncoder.timeMicros(message.timestampMicros()));
                raw(END);
            }
        }
        raw((byte) ']');
        out.write(buffer, 0, position);
        position = 0;
    }

    private static byte[] concat(String a, byte[] b, String c) {
        byte[] left = a.getBytes(StandardCharsets.UTF_8);
        byte[] right = c.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[left.length + b.length + right.length];
        System.arraycopy(left, 0, all, 0, left.length);
        System.arraycopy(b, 0, all, left.length, b.length);
        System.arraycopy(right, 0, all, left.length + b.length, right.length);
        return all;
    }

    private void base64(byte[] bytes) throws IOException {
        int length = 4 * ((bytes.length + 2) / 3);
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        int written = BASE64.encode(bytes, scratch);
        raw(scratch, written);
    }

    private void ascii(String text) throws IOException {
        room(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[position++] = (byte) text.charAt(i);
        }
    }

    private void raw(byte b) throws IOException {
        room(1);
        buffer[position++] = b;
    }

    private void raw(byte[] bytes) throws IOException {
        raw(bytes, bytes.length);
    }

    private void raw(byte[] bytes, int length) throws IOException {
        if (length > buffer.length) {
            out.write(buffer, 0, position);
            position = 0;
            out.write(bytes, 0, length);
            return;
        }
        room(length);
        System.arraycopy(bytes, 0, buffer, position, length);
        position += length;
    }

    private void room(int length) throws IOException {
        if (position + length > buffer.length) {
            out.write(buffer, 0, position);
            position = 0;
        }
    }
}
