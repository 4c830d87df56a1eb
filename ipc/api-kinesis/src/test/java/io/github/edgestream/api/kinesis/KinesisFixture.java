package io.github.edgestream.api.kinesis;

import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.core.time.Scheduler;
import io.github.edgestream.core.time.SystemScheduler;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpServer;
import io.github.edgestream.http.HttpSettings;
import io.github.edgestream.http.auth.Credential;
import io.github.edgestream.http.auth.CredentialAuthenticator;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A real store, service and HTTP server with the Kinesis API on a loopback port, and the official AWS SDK for Java
 * v2 clients pointed at it. The clock is by default a {@link ManualClock} starting at the real time (the SDK signs with
 * the real time, and the server checks the signatures' skew against this clock), so tests can age iterators; a test
 * that needs the server to keep real time (a client comparing its own clock with arrival timestamps) passes
 * {@link Clock#systemUTC()} and a {@link SystemScheduler}.
 *
 * <p>Credentials: {@link #KEY_ID}/{@link #SECRET} may do everything; {@link #READER_KEY_ID}/{@link #READER_SECRET}
 * may only read streams named {@code sensor-*}; the daemon's token works as the secret of access key
 * {@code edgestream}.
 */
final class KinesisFixture implements AutoCloseable {

    static final String KEY_ID = "AKIDEDGESTREAMADMIN";
    static final String SECRET = "admin-secret-0123456789abcdef";
    static final String READER_KEY_ID = "AKIDEDGESTREAMREADER";
    static final String READER_SECRET = "reader-secret-0123456789abcdef";
    static final String DAEMON_TOKEN = "daemon-token-0123456789abcdef";

    /** How a test's client talks to the daemon. */
    enum ClientMode {
        /** URLConnection, HTTP/1.1, CBOR (the SDK's default protocol). */
        SYNC_CBOR(false, true),
        /** URLConnection, HTTP/1.1, JSON ({@code aws.cborEnabled=false}). */
        SYNC_JSON(false, false),
        /** Netty, HTTP/2 cleartext with prior knowledge (the async client's default), CBOR. */
        ASYNC_H2_CBOR(true, true),
        /** Netty, h2c, JSON. */
        ASYNC_H2_JSON(true, false);

        final boolean async;
        final boolean cbor;

        ClientMode(boolean async, boolean cbor) {
            this.async = async;
            this.cbor = cbor;
        }
    }

    final Clock clock;
    private final Scheduler scheduler;
    final StreamStore store;
    final StreamService service;
    final HttpServer server;
    private final ExecutorService blocking = Executors.newFixedThreadPool(2);
    private final List<AutoCloseable> clients = new ArrayList<>();
    /** The HTTP version of every request the server received ({@code HTTP/1.1}, {@code HTTP/2}). */
    final java.util.Set<String> protocols = java.util.concurrent.ConcurrentHashMap.newKeySet();

    KinesisFixture(Path root) {
        this(root, Map.of());
    }

    KinesisFixture(Path root, Map<String, String> options) {
        this(root, options, new ManualClock(Instant.now()));
    }

    private KinesisFixture(Path root, Map<String, String> options, ManualClock clock) {
        this(root, options, clock, clock);
    }

    /** A fixture on the given time; the scheduler is closed with the fixture if it is {@link AutoCloseable}. */
    KinesisFixture(Path root, Map<String, String> options, Clock clock, Scheduler scheduler) {
        this.clock = clock;
        this.scheduler = scheduler;
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, scheduler, Runnable::run,
                        io.github.edgestream.core.stream.StoreListener.NONE));
        service = new StreamService(store, ExportStatusSource.NOT_STARTED, blocking, clock);
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        var api = new KinesisApiProvider().create(new HttpApiContext(service, clock, options, secret));
        List<Credential> credentials = List.of(
                new Credential("admin", Optional.of(KEY_ID), Optional.of(SECRET), Optional.empty(),
                        List.of(Scope.EVERYTHING)),
                new Credential("sensor-reader", Optional.of(READER_KEY_ID), Optional.of(READER_SECRET),
                        Optional.empty(), List.of(new Scope(List.of("default"), List.of("sensor-*"),
                        EnumSet.of(Permission.READ)))));
        var authenticator = new CredentialAuthenticator(credentials, Optional.of(DAEMON_TOKEN), clock);
        server = new HttpServer(HttpSettings.loopbackForTests(), List.of(api), (scheme, call) -> {
            protocols.add(call.protocol());
            return authenticator.authenticate(scheme, call);
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    KinesisClient client(ClientMode mode) {
        return client(mode, KEY_ID, SECRET);
    }

    /**
     * A client of the given kind; an async one is wrapped so that tests call it like the sync one (each call
     * waits for its future and throws what the sync client would).
     */
    KinesisClient client(ClientMode mode, String keyId, String secret) {
        String previous = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", Boolean.toString(mode.cbor));
        try {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret));
            if (!mode.async) {
                KinesisClient client = KinesisClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
                clients.add(client);
                return client;
            }
            KinesisAsyncClient async = KinesisAsyncClient.builder().endpointOverride(endpoint())
                    .region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2))
                    .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
            clients.add(async);
            return blockingView(async);
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }

    private static KinesisClient blockingView(KinesisAsyncClient async) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class || method.getDeclaringClass() == SdkClient.class
                    || method.getDeclaringClass() == AutoCloseable.class
                    || method.getDeclaringClass() == software.amazon.awssdk.utils.SdkAutoCloseable.class) {
                return method.invoke(async, args);
            }
            Object result;
            try {
                result = KinesisAsyncClient.class.getMethod(method.getName(), method.getParameterTypes())
                        .invoke(async, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            try {
                return ((CompletableFuture<?>) result).get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | CompletionException e) {
                throw e.getCause();
            }
        };
        return (KinesisClient) Proxy.newProxyInstance(KinesisFixture.class.getClassLoader(),
                new Class<?>[] {KinesisClient.class}, handler);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.close();
        store.close();
        blocking.shutdownNow();
        blocking.awaitTermination(5, TimeUnit.SECONDS);
        if (scheduler instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
