package io.github.edgestream.daemon;

import io.github.edgestream.config.Config;
import io.github.edgestream.core.export.ExportRuntime;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.SystemScheduler;
import io.github.edgestream.daemon.greengrass.GreengrassIpcAuthenticator;
import io.github.edgestream.daemon.http.HttpBinder;
import io.github.edgestream.daemon.http.HttpFront;
import io.github.edgestream.daemon.observe.DaemonMetrics;
import io.github.edgestream.daemon.observe.ObservabilityServer;
import io.github.edgestream.daemon.observe.SystemdNotifier;
import io.github.edgestream.ipc.server.AnyOfAuthenticator;
import io.github.edgestream.ipc.server.ClientAuthenticator;
import io.github.edgestream.ipc.server.IpcServer;
import io.github.edgestream.ipc.server.IpcSettings;
import io.github.edgestream.status.StatusStreamWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the export runtime, the store and the IPC server from the configuration, and takes
 * them down in reverse order. Stopping: stop accepting and answer new requests "shutting down"; give requests in
 * flight half a second; stop the exports (calls in flight are interrupted, cursors stay at the last completed
 * batch); close the store, which lets appends under way finish, acknowledges durable appends after a last sync, answers reads
 * still waiting and flushes every stream; wait for those answers to go out; close the connections. About a second,
 * well within the 5 s a service manager allows.
 *
 * <p>Thread-safe: {@link #stop()} may be called from a signal handler while the main thread waits.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final SystemScheduler scheduler;
    private final ExecutorService storeExecutor;
    private final ExecutorService adminExecutor;
    private final StreamStore store;
    private final ExportRuntime exports;
    private final IpcServer server;
    private final HttpBinder http;
    private final ObservabilityServer observability;
    private final SystemdNotifier systemd;
    private final Optional<GreengrassIpcAuthenticator> nucleus;
    private volatile boolean ready;
    private boolean stopped;

    private Daemon(SystemScheduler scheduler, ExecutorService storeExecutor, ExecutorService adminExecutor,
            StreamStore store, ExportRuntime exports, IpcServer server, HttpBinder http,
            ObservabilityServer observability, SystemdNotifier systemd, Optional<GreengrassIpcAuthenticator> nucleus) {
        this.scheduler = scheduler;
        this.storeExecutor = storeExecutor;
        this.adminExecutor = adminExecutor;
        this.store = store;
        this.exports = exports;
        this.server = server;
        this.http = http;
        this.observability = observability;
        this.systemd = systemd;
        this.nucleus = nucleus;
    }

    public static String version() {
        String version = Daemon.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /**
     * Opens the store and starts listening.
     *
     * @throws RuntimeException with a message naming what failed (store locked, port in use, ...)
     */
    public static Daemon start(Config config, Map<String, String> environment) {
        long started = System.nanoTime();
        StoreSettings storeSettings = DaemonConfig.storeSettings(config);
        Clock clock = Clock.systemUTC();
        boolean authenticate = config.get(DaemonConfig.AUTHENTICATE);
        Optional<GreengrassIpcAuthenticator> nucleus = authenticate
                ? GreengrassIpcAuthenticator.fromEnvironment(environment, clock) : Optional.empty();
        Optional<ClientAuthenticator> authenticator = Optional.empty();
        if (authenticate) {
            ClientAuthenticator own = AuthTokens.authenticator(environment, DaemonConfig.tokenFile(config));
            // under a nucleus, every component has its own token: the nucleus knows them, we know only ours
            authenticator = Optional.of(nucleus.<ClientAuthenticator>map(n -> new AnyOfAuthenticator(List.of(own, n)))
                    .orElse(own));
        }
        IpcSettings ipcSettings = DaemonConfig.ipcSettings(config, authenticator);
        SystemScheduler scheduler = new SystemScheduler("edgestream-timer");
        ExecutorService storeExecutor = Executors.newFixedThreadPool(2, threads("edgestream-store"));
        ExecutorService adminExecutor = Executors.newFixedThreadPool(2, threads("edgestream-admin"));
        StreamStore store = null;
        IpcServer server = null;
        HttpBinder http = null;
        ExportRuntime exports = new ExportRuntime(DaemonConfig.exportSettings(config),
                ExportRuntime.installedProviders(), clock, scheduler, new SplittableRandom());
        DaemonMetrics metrics = new DaemonMetrics(clock);
        try {
            store = StreamStore.open(storeSettings, new StoreServices(clock, scheduler, storeExecutor,
                    StoreListener.all(exports.storeListener(), metrics)));
            exports.addListener(new StatusStreamWriter(store, clock));
            exports.addListener(metrics);
            exports.start(store);
            // one service for every protocol: cursors and groups are shared state
            StreamService service = new StreamService(store, exports, adminExecutor, clock);
            server = new IpcServer(ipcSettings, service, version());
            server.observe(metrics);
            server.start();
            Optional<String> daemonToken = config.get(DaemonConfig.HTTP_AUTHENTICATE)
                    ? Optional.of(AuthTokens.resolve(environment, DaemonConfig.tokenFile(config)).iterator().next())
                    : Optional.empty();
            SystemScheduler timer = scheduler;
            http = HttpFront.build(config, service, clock, daemonToken, metrics)
                    .map(httpServer -> HttpBinder.start(httpServer, timer)).orElse(null);
            metrics.bind(store, exports, server::connectionCount);
            Daemon[] self = new Daemon[1];
            ObservabilityServer observability = config.get(DaemonConfig.OBSERVABILITY_ENABLED)
                    ? ObservabilityServer.start(config.get(DaemonConfig.OBSERVABILITY_HOST),
                            config.get(DaemonConfig.OBSERVABILITY_PORT), scheduler, metrics, store, exports,
                            () -> self[0] != null && self[0].ready, clock)
                    : null;
            Daemon daemon = new Daemon(scheduler, storeExecutor, adminExecutor, store, exports, server, http,
                    observability, SystemdNotifier.fromEnvironment(environment), nucleus);
            self[0] = daemon;
            daemon.ready = true;
            daemon.systemd.notify("READY=1\nSTATUS=serving");
            LOG.info("edgestream {} ready in {} ms: {} streams in {}, {}{}, client authentication {}", version(),
                    (System.nanoTime() - started) / 1_000_000, store.list().size(),
                    storeSettings.rootDirectory().toAbsolutePath(),
                    ipcSettings.tcpEnabled() ? "tcp " + ipcSettings.host() + ":" + server.port() : "no tcp",
                    ipcSettings.unixSocket().map(p -> ", unix " + p).orElse(""),
                    authenticator.map(a -> "on (" + a.describe() + ")").orElse("off"));
            if (observability != null && observability.port() > 0) {
                LOG.info("status page, /metrics and /health on http://{}:{}/",
                        config.get(DaemonConfig.OBSERVABILITY_HOST), observability.port());
            }
            return daemon;
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            if (server != null) {
                server.close();
            }
            nucleus.ifPresent(GreengrassIpcAuthenticator::close);
            exports.close();
            if (store != null) {
                store.close();
            }
            scheduler.close();
            storeExecutor.shutdownNow();
            adminExecutor.shutdownNow();
            throw e;
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The port of the status page and metrics, if they are served (not while their port could not be bound). */
    public java.util.OptionalInt observabilityPort() {
        int port = observability == null ? -1 : observability.port();
        return port < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
    }

    /** The TCP port the server listens on. */
    public int port() {
        return server.port();
    }

    /** The port of the HTTP APIs, if they are served. */
    public java.util.OptionalInt httpPort() {
        int port = http == null ? -1 : http.port();
        return port < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
    }

    public StreamStore store() {
        return store;
    }

    /** Stops gracefully; idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        ready = false;
        systemd.notify("STOPPING=1");
        long started = System.nanoTime();
        LOG.info("stopping: no new connections, answering requests in flight");
        server.stopAccepting();
        if (http != null) {
            http.server().stopAccepting();
        }
        try {
            server.awaitRequests(Duration.ofMillis(500)); // reads that wait for data are answered by store.close()
            if (http != null) {
                http.server().awaitRequests(Duration.ofMillis(500));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exports.close();   // interrupts calls in flight; cursors stay at the last completed batch
        store.close();
        try {
            server.awaitRequests(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        if (http != null) {
            http.close();
        }
        nucleus.ifPresent(GreengrassIpcAuthenticator::close);
        if (observability != null) {
            observability.close();
        }
        scheduler.close();
        storeExecutor.shutdown();
        adminExecutor.shutdown();
        try {
            storeExecutor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void close() {
        stop();
    }
}
