package io.github.edgestream.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 over a plain socket, byte for byte: for keep-alive, malformed and oversized requests. */
public final class RawHttp implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 5000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** The sizes of the chunks of the last chunked body read. */
    public final List<Integer> lastChunks = new ArrayList<>();

    public RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response (a 1xx one too: head only). */
    public Reply read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("the server closed the connection before answering");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("HTTP/1.1")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        Reply head = new Reply(status, headers, "");
        if (status < 200 || status == 204 || status == 304) {
            return head;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = head.header("content-length");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            lastChunks.clear();
            while (true) {
                String size = line();
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                lastChunks.add(n);
                body.write(in.readNBytes(n));
                line();
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /** Whether the server closes the connection (end of stream or reset) within the time; drains what it sends. */
    public boolean closedByServer(Duration within) throws IOException {
        return closedByServer(within, new ByteArrayOutputStream());
    }

    /** Like {@link #closedByServer(Duration)}, keeping what the server sent. */
    public boolean closedByServer(Duration within, ByteArrayOutputStream received) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        byte[] buffer = new byte[8192];
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (!readOnce(buffer, received)) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
            }
        }
    }

    /** False at the end of the stream. */
    private boolean readOnce(byte[] buffer, ByteArrayOutputStream received) throws IOException {
        int n = in.read(buffer);
        if (n < 0) {
            return false;
        }
        received.write(buffer, 0, n);
        return true;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A GET without a body. */
    public static String get(String path, String... headers) {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** A POST with a body and its content length. */
    public static String post(String path, String body, String... headers) {
        StringBuilder request = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n")
                .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").append(body).toString();
    }
}
