package io.github.edgestream.daemon.greengrass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.crt.eventstream.Header;
import software.amazon.awssdk.crt.eventstream.HeaderType;
import software.amazon.awssdk.crt.eventstream.MessageFlags;
import software.amazon.awssdk.crt.eventstream.MessageType;
import software.amazon.awssdk.crt.eventstream.ServerConnection;
import software.amazon.awssdk.crt.eventstream.ServerConnectionContinuation;
import software.amazon.awssdk.crt.eventstream.ServerConnectionContinuationHandler;
import software.amazon.awssdk.crt.eventstream.ServerConnectionHandler;
import software.amazon.awssdk.crt.eventstream.ServerListener;
import software.amazon.awssdk.crt.eventstream.ServerListenerHandler;
import software.amazon.awssdk.crt.io.EventLoopGroup;
import software.amazon.awssdk.crt.io.ServerBootstrap;
import software.amazon.awssdk.crt.io.SocketOptions;
import software.amazon.awssdk.eventstreamrpc.Version;

/**
 * A Greengrass nucleus as far as ValidateAuthorizationToken goes: the nucleus's event-stream RPC on a Unix socket,
 * served by the CRT's event-stream server (the nucleus uses the same), answering as the nucleus does:
 *
 * <ul>
 *   <li>Connect: a {@code :version} header equal to the IPC client's, and a JSON payload whose {@code authToken} is
 *       a known SVCUID; answered with ConnectAck carrying ConnectionAccepted, else a bare ConnectAck and a close.</li>
 *   <li>{@code aws.greengrass#ValidateAuthorizationToken}: only for a caller whose SVCUID names the component
 *       {@code aws.greengrass.StreamManager} (else UnauthorizedError); a valid token gets
 *       {@code {"isValid":true}}, an unknown one InvalidTokenError (as the nucleus's AuthorizationIPCAgent does),
 *       or {@code {"isValid":false}} when so configured. Replies and errors end the stream (TerminateStream).</li>
 *   <li>Other operations: an ApplicationError, like the nucleus's unsupported-operation answer.</li>
 * </ul>
 *
 * Requests whose {@code :content-type} or {@code service-model-type} is not what the model says are counted in
 * {@link #malformedRequests()} and answered with an unmodelled error. Can be stopped and started again on the same
 * path. Thread-safe; settings may change while it runs.
 */
final class NucleusStandIn implements AutoCloseable {

    static final String STREAM_MANAGER = "aws.greengrass.StreamManager";
    static final String VALIDATE_OPERATION = "aws.greengrass#ValidateAuthorizationToken";
    static final String REQUEST_TYPE = "aws.greengrass#ValidateAuthorizationTokenRequest";
    static final String RESPONSE_TYPE = "aws.greengrass#ValidateAuthorizationTokenResponse";
    static final String UNAUTHORIZED_ERROR = "aws.greengrass#UnauthorizedError";
    static final String INVALID_TOKEN_ERROR = "aws.greengrass#InvalidTokenError";
    private static final String SERVICE = "aws.greengrass#GreengrassCoreIPC";
    private static final String CONTENT_TYPE = ":content-type";
    private static final String VERSION = ":version";
    private static final String MODEL_TYPE = "service-model-type";
    private static final String JSON = "application/json";
    private static final long WAIT_SECONDS = 10;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path socketPath;
    private final EventLoopGroup eventLoopGroup = new EventLoopGroup(1);
    private final SocketOptions socketOptions = new SocketOptions();
    private final Map<String, String> componentsBySvcuid = new ConcurrentHashMap<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final List<ServerConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger validateCalls = new AtomicInteger();
    private final AtomicInteger acceptedConnects = new AtomicInteger();
    private final AtomicInteger refusedConnects = new AtomicInteger();
    private final AtomicInteger malformedRequests = new AtomicInteger();
    private volatile boolean answerFalseForUnknown;
    private volatile boolean silent;
    private ServerBootstrap bootstrap; // guarded by this
    private ServerListener listener; // guarded by this

    NucleusStandIn(Path socketPath) {
        this.socketPath = socketPath;
        socketOptions.domain = SocketOptions.SocketDomain.LOCAL;
        socketOptions.type = SocketOptions.SocketType.STREAM;
    }

    Path socketPath() {
        return socketPath;
    }

    /** Accept connects from {@code svcuid}, as the component {@code componentName}. */
    NucleusStandIn knowComponent(String svcuid, String componentName) {
        componentsBySvcuid.put(svcuid, componentName);
        return this;
    }

    /** Tokens that ValidateAuthorizationToken says are valid (any known component's SVCUID, on a real nucleus). */
    NucleusStandIn validTokens(String... tokens) {
        validTokens.addAll(List.of(tokens));
        return this;
    }

    /** Answer an unknown token with {@code {"isValid":false}} instead of the nucleus's InvalidTokenError. */
    NucleusStandIn answerFalseForUnknownTokens(boolean answerFalse) {
        this.answerFalseForUnknown = answerFalse;
        return this;
    }

    /** Count ValidateAuthorizationToken calls but never answer them (a wedged nucleus). */
    NucleusStandIn silent(boolean beSilent) {
        this.silent = beSilent;
        return this;
    }

    int validateCalls() {
        return validateCalls.get();
    }

    int acceptedConnects() {
        return acceptedConnects.get();
    }

    int refusedConnects() {
        return refusedConnects.get();
    }

    int malformedRequests() {
        return malformedRequests.get();
    }

    /** Listens on the socket path (removing a socket file left by an earlier run first). */
    synchronized NucleusStandIn start() {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bootstrap = new ServerBootstrap(eventLoopGroup);
        // for a Unix socket the host is the path and the port is ignored, as in the nucleus's IPC service
        listener = new ServerListener(socketPath.toString(), 8033, socketOptions, null, bootstrap,
                new ListenerHandler());
        return this;
    }

    /**
     * Stops listening, closes every client connection and waits (bounded) until they are closed and the listener has
     * shut down, then removes the socket file.
     */
    synchronized void stop() {
        if (listener == null) {
            return;
        }
        ServerListener stopping = listener;
        listener = null;
        stopping.close();
        try {
            List<CompletableFuture<?>> closed = new ArrayList<>();
            for (ServerConnection connection : connections) {
                closed.add(connection.getClosedFuture());
                if (connection.isConnectionOpen()) {
                    connection.closeConnection(0);
                }
            }
            await(CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)), "its connections to close");
        } finally {
            // the listener finishes shutting down only once no connection is referenced any more
            for (ServerConnection connection : connections) {
                connection.decRef();
            }
            connections.clear();
        }
        try {
            await(stopping.getShutdownCompleteFuture(), "its listener to shut down");
        } finally {
            bootstrap.close();
            bootstrap = null;
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException e) {
                // a later start removes it
            }
        }
    }

    private static void await(CompletableFuture<?> future, String what) {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the stand-in nucleus waited " + WAIT_SECONDS + " s for " + what, e);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            socketOptions.close();
            eventLoopGroup.close();
            await(eventLoopGroup.getShutdownCompleteFuture(), "its event loop to end");
        }
    }

    private final class ListenerHandler extends ServerListenerHandler {
        @Override
        protected ServerConnectionHandler onNewConnection(ServerConnection connection, int errorCode) {
            if (connection == null) {
                return null;
            }
            connection.addRef(); // ours until stop(), so that closing it from the test's thread stays safe
            connections.add(connection);
            return new ConnectionHandler(connection);
        }

        @Override
        protected void onConnectionShutdown(ServerConnection connection, int errorCode) {
            // stop() releases it
        }
    }

    private final class ConnectionHandler extends ServerConnectionHandler {
        private volatile String component;

        ConnectionHandler(ServerConnection connection) {
            super(connection);
        }

        @Override
        protected void onProtocolMessage(List<Header> headers, byte[] payload, MessageType type, int flags) {
            if (type == MessageType.Connect) {
                onConnect(headers, payload);
            } else if (type == MessageType.Ping) {
                connection.sendProtocolMessage(withoutReservedHeaders(headers), payload, MessageType.PingResponse, 0);
            }
        }

        private void onConnect(List<Header> headers, byte[] payload) {
            String version = stringHeader(headers, VERSION);
            String name = null;
            if (Version.getInstance().getVersionString().equals(version)) {
                try {
                    JsonNode token = MAPPER.readTree(payload).get("authToken");
                    name = token == null || !token.isTextual() ? null : componentsBySvcuid.get(token.asText());
                } catch (IOException | RuntimeException unreadable) {
                    name = null;
                }
            }
            ServerConnection current = connection;
            if (name == null) {
                refusedConnects.incrementAndGet();
                current.sendProtocolMessage(null, null, MessageType.ConnectAck, 0)
                        .whenComplete((sent, failure) -> current.closeConnection(0));
                return;
            }
            component = name;
            acceptedConnects.incrementAndGet();
            current.sendProtocolMessage(null, null, MessageType.ConnectAck,
                    MessageFlags.ConnectionAccepted.getByteValue());
        }

        @Override
        protected ServerConnectionContinuationHandler onIncomingStream(ServerConnectionContinuation continuation,
                String operationName) {
            return new OperationHandler(continuation, operationName, component);
        }
    }

    private final class OperationHandler extends ServerConnectionContinuationHandler {
        private final String operation;
        private final String caller;
        private boolean requestSeen;

        OperationHandler(ServerConnectionContinuation continuation, String operation, String caller) {
            super(continuation);
            this.operation = operation;
            this.caller = caller;
        }

        @Override
        protected void onContinuationMessage(List<Header> headers, byte[] payload, MessageType type, int flags) {
            if (requestSeen || type != MessageType.ApplicationMessage) {
                return; // a non-streaming operation has one request; a client's closing message needs no answer
            }
            requestSeen = true;
            if (!VALIDATE_OPERATION.equals(operation)) {
                sendError("{\"error\":\"Unsupported Operation\",\"message\":\"" + operation
                        + " is an unsupported operation.\"}", null);
                return;
            }
            validateCalls.incrementAndGet();
            if (!JSON.equals(stringHeader(headers, CONTENT_TYPE))
                    || !REQUEST_TYPE.equals(stringHeader(headers, MODEL_TYPE))) {
                malformedRequests.incrementAndGet();
                sendError("{\"error\":\"unexpected headers\"}", null);
                return;
            }
            if (silent) {
                return;
            }
            if (!STREAM_MANAGER.equals(caller)) {
                sendError(modeledError("UnauthorizedError", caller + " is not authorized to perform "
                        + VALIDATE_OPERATION), UNAUTHORIZED_ERROR);
                return;
            }
            String token;
            try {
                JsonNode node = MAPPER.readTree(payload).get("token");
                token = node == null || !node.isTextual() ? null : node.asText();
            } catch (IOException e) {
                token = null;
            }
            if (token != null && validTokens.contains(token)) {
                sendResponse(true);
            } else if (answerFalseForUnknown) {
                sendResponse(false);
            } else {
                sendError(modeledError("InvalidTokenError", "Invalid token used when trying to authorize"),
                        INVALID_TOKEN_ERROR);
            }
        }

        private void sendResponse(boolean valid) {
            ObjectNode body = MAPPER.createObjectNode().put("isValid", valid);
            continuation.sendMessage(List.of(Header.createHeader(CONTENT_TYPE, JSON),
                    Header.createHeader(MODEL_TYPE, RESPONSE_TYPE)), bytes(body), MessageType.ApplicationMessage,
                    MessageFlags.TerminateStream.getByteValue());
        }

        /** An ApplicationError ending the stream; {@code modelType} null for an unmodelled one. */
        private void sendError(String json, String modelType) {
            List<Header> headers = new ArrayList<>();
            headers.add(Header.createHeader(CONTENT_TYPE, JSON));
            if (modelType != null) {
                headers.add(Header.createHeader(MODEL_TYPE, modelType));
            }
            continuation.sendMessage(headers, json.getBytes(StandardCharsets.UTF_8),
                    MessageType.ApplicationError, MessageFlags.TerminateStream.getByteValue());
        }
    }

    /** The JSON the nucleus's service model writes for an error: the framework's fields and the model's message. */
    private static String modeledError(String code, String message) {
        ObjectNode body = MAPPER.createObjectNode()
                .put("_service", SERVICE)
                .put("_message", message)
                .put("_errorCode", code)
                .put("message", message);
        return new String(bytes(body), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stringHeader(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.getName().equals(name) && header.getHeaderType() == HeaderType.String) {
                return header.getValueAsString();
            }
        }
        return null;
    }

    private static List<Header> withoutReservedHeaders(List<Header> headers) {
        List<Header> kept = new ArrayList<>();
        for (Header header : headers) {
            if (!header.getName().startsWith(":")) {
                kept.add(header);
            }
        }
        return kept;
    }
}
