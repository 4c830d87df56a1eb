package io.github.edgestream.ipc.client;

import io.github.edgestream.ipc.client.ClientConnectionException.Reason;
import io.netty.channel.ConnectTimeoutException;
import java.io.FileNotFoundException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the transport throws when a connection cannot be opened into a {@link ClientConnectionException} that
 * says it in plain words. Netty's messages carry its internals ({@code finishConnect(..) failed with error(-111):
 * Connection refused: /127.0.0.1:8088}, or a {@code FileNotFoundException} without a message for a missing Unix
 * socket); the reason is read from the exception's type, the native error number, or the system's text.
 */
final class ConnectFailures {

    /** Netty's native transport: {@code connect(..) failed with error(-111): Connection refused}. */
    private static final Pattern NATIVE_ERROR = Pattern.compile("\\(\\.\\.\\) failed(?: with error\\((-?\\d+)\\))?: ");

    /** Linux error numbers (the native transport is Linux only). */
    private static final Map<Integer, Reason> ERRNO = Map.of(
            111, Reason.CONNECTION_REFUSED, 2, Reason.NO_SUCH_FILE, 13, Reason.PERMISSION_DENIED,
            1, Reason.PERMISSION_DENIED, 110, Reason.TIMED_OUT, 113, Reason.UNREACHABLE, 101, Reason.UNREACHABLE);

    private static final Map<String, Reason> WORDS = Map.of(
            "connection refused", Reason.CONNECTION_REFUSED, "no such file", Reason.NO_SUCH_FILE,
            "permission denied", Reason.PERMISSION_DENIED, "operation not permitted", Reason.PERMISSION_DENIED,
            "timed out", Reason.TIMED_OUT, "no route to host", Reason.UNREACHABLE,
            "network is unreachable", Reason.UNREACHABLE, "host is unreachable", Reason.UNREACHABLE);

    private ConnectFailures() {
    }

    /** {@code cannot connect to 127.0.0.1:8088: connection refused (is the stream manager running?)} */
    static ClientConnectionException cannotConnect(String address, Throwable failure, Duration connectTimeout) {
        Reason reason = reason(failure);
        String words = switch (reason) {
            case TIMED_OUT -> "timed out after " + connectTimeout.toMillis() + " ms";
            case OTHER -> plainMessage(failure);
            default -> reason.words();
        };
        String advice = switch (reason) {
            case CONNECTION_REFUSED, NO_SUCH_FILE -> "is the stream manager running?";
            default -> "";
        };
        return new ClientConnectionException(address, reason, words, advice, failure);
    }

    static Reason reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException || t instanceof SocketTimeoutException) {
                return Reason.TIMED_OUT;
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return Reason.UNKNOWN_HOST;
            }
            if (t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
                return Reason.NO_SUCH_FILE;
            }
            if (t instanceof AccessDeniedException) {
                return Reason.PERMISSION_DENIED;
            }
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            Matcher nativeError = NATIVE_ERROR.matcher(message);
            if (nativeError.find() && nativeError.group(1) != null) {
                Reason known = ERRNO.get(Math.abs(Integer.parseInt(nativeError.group(1))));
                if (known != null) {
                    return known;
                }
            }
            String lower = message.toLowerCase(Locale.ROOT);
            for (Map.Entry<String, Reason> words : WORDS.entrySet()) {
                if (lower.contains(words.getKey())) {
                    return words.getValue();
                }
            }
        }
        return Reason.OTHER;
    }

    /** The innermost message without Netty's {@code call(..) failed with error(-N): } and {@code : /address}. */
    static String plainMessage(Throwable failure) {
        Throwable innermost = failure;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage();
        if (message == null || message.isBlank()) {
            return innermost.getClass().getSimpleName();
        }
        Matcher nativeError = NATIVE_ERROR.matcher(message);
        if (nativeError.find()) {
            message = message.substring(nativeError.end());
        }
        int address = message.indexOf(": /");
        return address < 0 ? message : message.substring(0, address);
    }
}
