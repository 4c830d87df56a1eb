package io.github.edgestream.exporter.http;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Turns messages into POST requests, in one of the two formats of the protocol (section 13).
 *
 * <p><b>RAW_NOT_BATCHED</b>: one request per message; the body is the payload, byte for byte. The headers let a
 * receiver de-duplicate resends (the runtime may send a message again after a failure or a restart):
 * <pre>
 * POST {uri}
 * Content-Type: application/octet-stream
 * X-Edgestream-Stream: {stream name}
 * X-Edgestream-Export: {export identifier}
 * X-Edgestream-Sequence-Number: {sequence number, decimal}
 * X-Edgestream-Ingest-Time: {ingest time, epoch milliseconds, decimal}
 *
 * {payload}
 * </pre>
 *
 * <p><b>JSON_BATCHED</b>: one request per batch, {@code Content-Type: application/json}, the same
 * {@code X-Edgestream-Stream} and {@code X-Edgestream-Export} headers, and a body that is a JSON array of the
 * protocol's Message objects (section 7.4), keys in the protocol's order, no whitespace, UTF-8 (in fact ASCII):
 * <pre>
 * [ message(0) , message(1) , ... , message(n-1) ]
 * message = {"streamName":"{name}","sequenceNumber":{int},"ingestTime":{epoch ms},"payload":"{base64}"}
 * </pre>
 * {@code payload} is standard base64 with padding (RFC 4648 section 4), which is how the SDKs' JSON renders bytes.
 * Stream names are limited to {@code A-Z a-z 0-9 _ - . , space}, so the name needs no JSON escaping.
 *
 * <p>Worked example: stream {@code telemetry}, message 5 ingested at 1767225600000 with payload {@code 68 69}
 * ("hi"), message 6 ingested a millisecond later with payload {@code FF 00}, give these 181 bytes:
 * <pre>
 * [{"streamName":"telemetry","sequenceNumber":5,"ingestTime":1767225600000,"payload":"aGk="},
 *  {"streamName":"telemetry","sequenceNumber":6,"ingestTime":1767225600001,"payload":"/wA="}]
 * </pre>
 * (one line on the wire). The body is produced message by message while the client sends it, with an exact
 * {@code Content-Length}, so a 16 MiB batch never sits in memory a second time as one 22 MiB array.
 *
 * <p>Thread-safe: immutable.
 */
final class HttpRequestBuilder {

    static final String STREAM_HEADER = "X-Edgestream-Stream";
    static final String EXPORT_HEADER = "X-Edgestream-Export";
    static final String SEQUENCE_NUMBER_HEADER = "X-Edgestream-Sequence-Number";
    static final String INGEST_TIME_HEADER = "X-Edgestream-Ingest-Time";
    static final String USER_AGENT = "edgestream-exporter-http";

    private static final byte[] OPEN = {'['};
    private static final byte[] CLOSE = {']'};
    private static final byte[] MESSAGE_END = {'"', '}'};

    private final HttpExporterConfig config;

    HttpRequestBuilder(HttpExporterConfig config) {
        this.config = config;
    }

    /** The request of one message of {@code batch} (RAW_NOT_BATCHED). */
    HttpRequest raw(Batch batch, Message message) {
        return post(batch, "application/octet-stream", HttpRequest.BodyPublishers.ofByteArray(message.payload()))
                .header(SEQUENCE_NUMBER_HEADER, Long.toString(message.sequenceNumber()))
                .header(INGEST_TIME_HEADER, Long.toString(message.ingestTimeEpochMillis()))
                .build();
    }

    /** The request of a whole batch (JSON_BATCHED). */
    HttpRequest json(Batch batch) {
        var body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArrays(jsonPieces(batch.stream(), batch.messages())),
                jsonLength(batch.stream(), batch.messages()));
        return post(batch, "application/json", body).build();
    }

    private HttpRequest.Builder post(Batch batch, String contentType, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(config.uri())
                .timeout(config.callTimeout())
                .header("Content-Type", contentType)
                .header("User-Agent", USER_AGENT)
                .header(STREAM_HEADER, batch.stream().value())
                .header(EXPORT_HEADER, batch.exportIdentifier())
                .POST(body);
    }

    /** The exact size in bytes of the JSON body of {@code messages}. */
    static long jsonLength(StreamName stream, List<Message> messages) {
        long length = OPEN.length + CLOSE.length;
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            length += jsonHead(stream, message, i).length + base64Length(message.payload().length)
                    + MESSAGE_END.length;
        }
        return length;
    }

    /**
     * The JSON body of {@code messages} as pieces whose concatenation is the body: {@code [}, then per message its
     * head (keys up to the payload's opening quote), its base64 payload and {@code "}}, then {@code ]}. Each
     * iteration encodes afresh, one message at a time.
     */
    static Iterable<byte[]> jsonPieces(StreamName stream, List<Message> messages) {
        return () -> new Iterator<>() {
            private final int count = 2 + 3 * messages.size();
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int piece = next++;
                if (piece == 0) {
                    return OPEN;
                }
                if (piece == count - 1) {
                    return CLOSE;
                }
                int index = (piece - 1) / 3;
                Message message = messages.get(index);
                switch ((piece - 1) % 3) {
                    case 0:
                        return jsonHead(stream, message, index);
                    case 1:
                        return Base64.getEncoder().encode(message.payload());
                    default:
                        return MESSAGE_END;
                }
            }
        };
    }

    private static byte[] jsonHead(StreamName stream, Message message, int index) {
        String head = (index == 0 ? "" : ",")
                + "{\"streamName\":\"" + stream.value()
                + "\",\"sequenceNumber\":" + message.sequenceNumber()
                + ",\"ingestTime\":" + message.ingestTimeEpochMillis()
                + ",\"payload\":\"";
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    private static long base64Length(int bytes) {
        return 4L * ((bytes + 2L) / 3);
    }
}
