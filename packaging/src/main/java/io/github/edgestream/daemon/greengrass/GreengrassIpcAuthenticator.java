package io.github.edgestream.daemon.greengrass;

import io.github.edgestream.ipc.server.ClientAuthenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.aws.greengrass.GreengrassCoreIPCClient;
import software.amazon.awssdk.aws.greengrass.GreengrassCoreIPCClientV2;
import software.amazon.awssdk.aws.greengrass.model.InvalidTokenError;
import software.amazon.awssdk.aws.greengrass.model.UnauthorizedError;
import software.amazon.awssdk.aws.greengrass.model.ValidateAuthorizationTokenRequest;
import software.amazon.awssdk.aws.greengrass.model.ValidateAuthorizationTokenResponse;
import software.amazon.awssdk.crt.CrtRuntimeException;
import software.amazon.awssdk.crt.io.ClientBootstrap;
import software.amazon.awssdk.crt.io.EventLoopGroup;
import software.amazon.awssdk.crt.io.SocketOptions;
import software.amazon.awssdk.eventstreamrpc.EventStreamRPCConnection;
import software.amazon.awssdk.eventstreamrpc.EventStreamRPCConnectionConfig;
import software.amazon.awssdk.eventstreamrpc.GreengrassConnectMessageSupplier;
import software.amazon.awssdk.eventstreamrpc.model.AccessDeniedException;
import software.amazon.awssdk.eventstreamrpc.model.EventStreamOperationError;

/**
 * Client authentication under a Greengrass nucleus. Each Greengrass component has its own
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} (its SVCUID), so the token a stream-manager client sends cannot be compared
 * with ours; like Greengrass's own stream manager, this asks the nucleus over Greengrass IPC
 * ({@code aws.greengrass#ValidateAuthorizationToken}, through {@link GreengrassCoreIPCClientV2}) whether the token
 * belongs to a component it runs.
 *
 * <p>Connects to the nucleus's socket on the first check, not on construction, and again on a later check after the
 * nucleus went away (no retry loop of its own). Tokens the nucleus accepted are remembered for 5 minutes (at most
 * 1,024, the oldest go first), by their SHA-256 only; refused tokens are asked again every time. Concurrent checks of
 * one token share one IPC call. Every check answers within 5 s.
 *
 * <p>Errors: a token the nucleus does not know completes with {@code false}. When no decision can be made (the socket
 * cannot be reached, the nucleus refuses our SVCUID, answers an error, or does not answer in time) the stage completes
 * exceptionally with a {@link NucleusException} whose message says what to do; tokens never appear in messages.
 *
 * <p>Thread-safe. {@link #authenticate} never blocks; its stages complete on a CRT event-loop thread, so a caller
 * that must continue on its own thread hops there itself. {@link #close} waits (bounded) for the CRT threads to end.
 */
public final class GreengrassIpcAuthenticator implements ClientAuthenticator, AutoCloseable {

    /** The nucleus's IPC socket as the component sees it; read by the IPC client's own builder too. */
    public static final String SOCKET_PATH_VARIABLE = "AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT";
    /** This component's IPC identity, sent in the connect message. */
    public static final String SVCUID_VARIABLE = "SVCUID";
    /** The only component the nucleus lets call ValidateAuthorizationToken (its AuthorizationIPCAgent). */
    public static final String STREAM_MANAGER_COMPONENT = "aws.greengrass.StreamManager";

    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final int CACHE_ENTRIES = 1024;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** Ignored for Unix sockets; the IPC client's builder passes the same. */
    private static final int UNUSED_PORT = 8888;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String socketPath;
    private final String svcuid;
    private final Clock clock;
    private final Duration cacheTtl;
    private final int cacheEntries;
    private final Duration callTimeout;

    private final EventLoopGroup eventLoopGroup;
    private final ClientBootstrap bootstrap;
    private final SocketOptions socketOptions;

    private final Object lock = new Object();
    /** SHA-256 of a token the nucleus accepted, to when that stops counting (clock millis); oldest first. */
    private final LinkedHashMap<String, Long> accepted = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    private Session session; // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * The authenticator for the nucleus named in {@code env}, or empty when this process was not started by a
     * Greengrass nucleus (either variable missing or blank). Loads the CRT native library; connects nothing yet.
     *
     * @throws IllegalStateException when the CRT cannot be loaded on this platform
     */
    public static Optional<GreengrassIpcAuthenticator> fromEnvironment(Map<String, String> env, Clock clock) {
        String socketPath = env.get(SOCKET_PATH_VARIABLE);
        String svcuid = env.get(SVCUID_VARIABLE);
        if (socketPath == null || socketPath.isBlank() || svcuid == null || svcuid.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new GreengrassIpcAuthenticator(socketPath, svcuid, clock, CACHE_TTL, CACHE_ENTRIES,
                CALL_TIMEOUT));
    }

    GreengrassIpcAuthenticator(String socketPath, String svcuid, Clock clock, Duration cacheTtl, int cacheEntries,
            Duration callTimeout) {
        this.socketPath = socketPath;
        this.svcuid = svcuid;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
        this.cacheEntries = cacheEntries;
        this.callTimeout = callTimeout;
        EventLoopGroup group = null;
        ClientBootstrap clientBootstrap = null;
        SocketOptions options = null;
        try {
            group = new EventLoopGroup(1);
            clientBootstrap = new ClientBootstrap(group, null);
            options = new SocketOptions();
            options.domain = SocketOptions.SocketDomain.LOCAL;
            options.type = SocketOptions.SocketType.STREAM;
            options.connectTimeoutMs = (int) Math.min(3000, callTimeout.toMillis());
        } catch (RuntimeException | LinkageError e) {
            closeQuietly(options);
            closeQuietly(clientBootstrap);
            closeQuietly(group);
            throw new IllegalStateException("cannot start the AWS CRT for Greengrass IPC on this platform ("
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + e, e);
        }
        this.eventLoopGroup = group;
        this.bootstrap = clientBootstrap;
        this.socketOptions = options;
    }

    @Override
    public CompletionStage<Boolean> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        String key = sha256(token);
        if (isCached(key)) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.copy();
        }
        if (isCached(key)) { // a check finished between the first look and putIfAbsent
            inFlight.remove(key, mine);
            mine.complete(true);
            return mine.copy();
        }
        CompletableFuture<Boolean> raw = new CompletableFuture<Boolean>()
                .orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        raw.whenComplete((valid, failure) -> {
            Throwable mapped = failure == null ? null : settle(failure);
            if (mapped == null && valid) {
                remember(key);
            }
            inFlight.remove(key, mine);
            if (mapped != null) {
                mine.completeExceptionally(mapped);
            } else {
                mine.complete(valid);
            }
        });
        check(token, raw, true);
        return mine.copy();
    }

    @Override
    public String describe() {
        return "Greengrass nucleus IPC " + socketPath + " (ValidateAuthorizationToken)";
    }

    /** Disconnects and ends the CRT threads, waiting up to 5 s for them; later checks complete exceptionally. */
    @Override
    public void close() {
        Session last;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            last = session;
            session = null;
            accepted.clear();
        }
        if (last != null) {
            last.disconnect();
        }
        socketOptions.close();
        bootstrap.close();
        eventLoopGroup.close();
        try {
            CompletableFuture.allOf(bootstrap.getShutdownCompleteFuture(), eventLoopGroup.getShutdownCompleteFuture())
                    .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the threads end on their own; nothing to wait for any longer
        }
    }

    // ---- the IPC call ----

    /** Asks the nucleus about {@code token}; a failure of an established connection is tried once more afresh. */
    private void check(String token, CompletableFuture<Boolean> result, boolean firstTry) {
        Session current;
        try {
            current = currentSession();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        current.ready.whenComplete((client, connectFailure) -> {
            if (connectFailure != null) {
                result.completeExceptionally(unwrap(connectFailure));
                return;
            }
            CompletableFuture<ValidateAuthorizationTokenResponse> response;
            try {
                response = client.validateAuthorizationTokenAsync(
                        new ValidateAuthorizationTokenRequest().withToken(token));
            } catch (RuntimeException e) { // e.g. the connection closed under us: no stream can be opened
                response = CompletableFuture.failedFuture(e);
            }
            response.whenComplete((answer, failure) -> {
                if (failure == null) {
                    result.complete(Boolean.TRUE.equals(answer.isIsValid()));
                    return;
                }
                Throwable cause = unwrap(failure);
                if (cause instanceof InvalidTokenError) {
                    result.complete(false); // how the nucleus says "not a token of mine"
                } else if (cause instanceof UnauthorizedError unauthorized) {
                    result.completeExceptionally(new NucleusException("the Greengrass nucleus does not let this"
                            + " component validate client tokens (UnauthorizedError: "
                            + scrub(unauthorized.getMessage(), token) + "); it lets only the component named "
                            + STREAM_MANAGER_COMPONENT + " call ValidateAuthorizationToken, so deploy edgestream"
                            + " under that component name"));
                } else if (cause instanceof EventStreamOperationError error) {
                    result.completeExceptionally(new NucleusException("the Greengrass nucleus answered"
                            + " ValidateAuthorizationToken with " + error.getErrorCode() + ": "
                            + scrub(error.getMessage(), token)));
                } else {
                    forget(current);
                    if (firstTry && current.wasConnected()) {
                        check(token, result, false);
                    } else {
                        result.completeExceptionally(new NucleusException("lost the IPC connection to the Greengrass"
                                + " nucleus at " + socketPath + " (" + describeFailure(cause) + "); the next client"
                                + " connection tries again", cause));
                    }
                }
            });
        });
    }

    /** The failure a caller sees; a timeout also drops the connection, which may be wedged. */
    private Throwable settle(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TimeoutException) {
            Session stale;
            synchronized (lock) {
                stale = session;
            }
            if (stale != null) {
                forget(stale);
            }
            return new NucleusException("the Greengrass nucleus at " + socketPath + " did not answer"
                    + " ValidateAuthorizationToken within " + callTimeout.toMillis() + " ms; the next client"
                    + " connection tries again");
        }
        return cause instanceof NucleusException ? cause : new NucleusException(
                "cannot validate the token with the Greengrass nucleus: " + describeFailure(cause), cause);
    }

    private Session currentSession() {
        Session created;
        synchronized (lock) {
            if (closed) {
                throw new NucleusException("the Greengrass IPC authenticator is closed (the daemon is stopping)");
            }
            if (session != null && !session.isFailed()) {
                return session;
            }
            created = new Session();
            session = created;
        }
        created.connect();
        return created;
    }

    private void forget(Session stale) {
        synchronized (lock) {
            if (session == stale) {
                session = null;
            }
        }
        stale.disconnect();
    }

    /** One connection to the nucleus: connecting, connected, or failed (then replaced on the next check). */
    private final class Session implements EventStreamRPCConnection.LifecycleHandler {
        final CompletableFuture<GreengrassCoreIPCClientV2> ready = new CompletableFuture<>();
        private final EventStreamRPCConnection connection;
        private volatile boolean connected;
        private volatile boolean lost;

        Session() {
            EventStreamRPCConnectionConfig config = new EventStreamRPCConnectionConfig(bootstrap, eventLoopGroup,
                    socketOptions, null, socketPath, UNUSED_PORT,
                    GreengrassConnectMessageSupplier.connectMessageSupplier(svcuid));
            this.connection = new EventStreamRPCConnection(config);
        }

        void connect() {
            CompletableFuture<Void> attempt;
            try {
                attempt = connection.connect(this);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            // completes normally also when the nucleus closed the socket before answering; the timeout covers that
            attempt.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    fail(unwrap(failure));
                }
            });
        }

        boolean isFailed() {
            return lost || ready.isCompletedExceptionally();
        }

        boolean wasConnected() {
            return connected;
        }

        void disconnect() {
            lost = true;
            ready.completeExceptionally(new NucleusException("the connection to the Greengrass nucleus at "
                    + socketPath + " was closed"));
            try {
                connection.disconnect();
            } catch (RuntimeException e) {
                // already closed
            }
        }

        private void fail(Throwable failure) {
            lost = true;
            ready.completeExceptionally(connectFailure(failure));
        }

        @Override
        public void onConnect() {
            try {
                GreengrassCoreIPCClientV2 client = GreengrassCoreIPCClientV2.builder()
                        .withClient(new GreengrassCoreIPCClient(connection))
                        .withoutExecutor()
                        .build(); // with a client given, build() connects nothing
                connected = true;
                ready.complete(client);
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public void onDisconnect(int errorCode) {
            lost = true;
            forget(this);
        }

        @Override
        public boolean onError(Throwable t) {
            fail(t);
            forget(this);
            return true;
        }
    }

    private NucleusException connectFailure(Throwable failure) {
        if (failure instanceof NucleusException nucleus) {
            return nucleus;
        }
        if (failure instanceof AccessDeniedException) {
            return new NucleusException("the Greengrass nucleus at " + socketPath + " refused this component's IPC"
                    + " connection: it does not know the " + SVCUID_VARIABLE + " in our environment (was edgestream"
                    + " started by this nucleus?)", failure);
        }
        return new NucleusException("cannot connect to the Greengrass nucleus IPC socket " + socketPath + " ("
                + describeFailure(failure) + "): is the nucleus running? Clients are refused until it answers;"
                + " the next client connection tries again", failure);
    }

    // ---- the cache ----

    private boolean isCached(String key) {
        long now = clock.millis();
        synchronized (lock) {
            Long until = accepted.get(key);
            if (until == null) {
                return false;
            }
            if (now < until) {
                return true;
            }
            accepted.remove(key);
            return false;
        }
    }

    private void remember(String key) {
        long until = clock.millis() + cacheTtl.toMillis();
        synchronized (lock) {
            if (closed) {
                return;
            }
            accepted.remove(key); // re-inserted as the newest
            accepted.put(key, until);
            Iterator<String> oldest = accepted.keySet().iterator();
            while (accepted.size() > cacheEntries && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    // ---- helpers ----

    private static String sha256(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describeFailure(Throwable failure) {
        if (failure instanceof CrtRuntimeException crt) {
            return crt.errorName;
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** A nucleus message, without the token should the nucleus have echoed it. */
    private static String scrub(String message, String token) {
        return message == null ? "" : message.replace(token, "<token>");
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // clean-up after a failed start
        }
    }

    /** No decision could be made: the nucleus was not reachable, refused us, or answered an error. */
    public static final class NucleusException extends RuntimeException {
        NucleusException(String message) {
            super(message);
        }

        NucleusException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
