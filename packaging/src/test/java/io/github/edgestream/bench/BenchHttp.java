package io.github.edgestream.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal HTTP/1.1 client on one kept-alive socket, for the benchmarks that time a server's HTTP API without a
 * general client's own cost (the JDK's and the SDK's clients cost more than the server, see KinesisApiBenchmark):
 * writes a request's bytes as the caller built them, reads the whole response into a reused buffer (Content-Length
 * or chunked). One request at a time; not thread-safe.
 */
final class BenchHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private byte[] body = new byte[1 << 16];
    private int length;
    private int status;
    private String captureName;
    private String captured;
    private String countPrefix;
    private int counted;

    /** Connects to {@code endpoint}'s host and port (TCP_NODELAY, 60 s read timeout). */
    BenchHttp(URI endpoint) throws IOException {
        socket = new Socket(endpoint.getHost(), endpoint.getPort());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /**
     * From now on, keeps the value of the response header {@code name} (any case) of each exchange: {@link #header()}.
     * Only one name, so that a benchmark that needs a header pays one comparison per header line, no map.
     */
    void capture(String name) {
        captureName = name;
    }

    /**
     * From now on, counts the response headers of each exchange whose name (any case) starts with {@code prefix}
     * followed by a digit: {@link #counted()}. For APIs that give one header per record (ReductStore's batches).
     */
    void count(String prefix) {
        countPrefix = prefix;
    }

    /** How many headers of the last response {@link #count} matched. */
    int counted() {
        return counted;
    }

    /** The captured header's value in the last response, {@code null} if it had none (see {@link #capture}). */
    String header() {
        return captured;
    }

    /** Sends {@code request} and reads the response whole; then {@link #status} and the body are set. */
    void exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        readResponse();
    }

    /** Sends {@code head} then {@code body} (no copy into one array) and reads the response whole. */
    void exchange(byte[] head, byte[] body) throws IOException {
        out.write(head);
        out.write(body);
        out.flush();
        readResponse();
    }

    private void readResponse() throws IOException {
        captured = null;
        counted = 0;
        String statusLine = line();
        status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (captureName != null && name.equalsIgnoreCase(captureName)) {
                captured = value;
            } else if (countPrefix != null && name.length() > countPrefix.length()
                    && name.regionMatches(true, 0, countPrefix, 0, countPrefix.length())
                    && Character.isDigit(name.charAt(countPrefix.length()))) {
                counted++;
            }
        }
        length = 0;
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                readBody(size);
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (contentLength >= 0) {
            readBody((int) contentLength);
        } else {
            throw new IOException("a response with neither Content-Length nor chunked: " + statusLine);
        }
    }

    private void readBody(int size) throws IOException {
        if (length + size > body.length) {
            body = Arrays.copyOf(body, Math.max(body.length * 2, length + size));
        }
        int got = in.readNBytes(body, length, size);
        if (got < size) {
            throw new IOException("connection closed after " + got + " of " + size + " body bytes");
        }
        length += size;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in the response head");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** The last response's status code. */
    int status() {
        return status;
    }

    /** The last response's body in its first {@link #length()} bytes; the buffer is reused by the next exchange. */
    byte[] body() {
        return body;
    }

    /** The last response's body length. */
    int length() {
        return length;
    }

    /** The last response's body as text, cut at 2,000 bytes: for error messages. */
    String bodyText() {
        return new String(body, 0, Math.min(length, 2000), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
