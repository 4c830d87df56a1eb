package io.github.edgestream.ipc.server;

import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.RecordingStoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A store and a running server on a free loopback port, for end-to-end tests; time is a {@link ManualClock}, so
 * read timeouts pass when the test advances it. Closing it stops the server, its clients and the store.
 */
public final class ServerFixture implements AutoCloseable {

    public final ManualClock clock = ManualClock.startingAt2026();
    public final StreamStore store;
    public final IpcServer server;
    private final ExecutorService blocking = Executors.newFixedThreadPool(2);
    private final ExecutorService storeExecutor = Executors.newFixedThreadPool(2);
    private final List<StreamManagerClient> clients = new ArrayList<>();

    public ServerFixture(Path root, IpcSettings settings) {
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, storeExecutor, new RecordingStoreListener()));
        server = new IpcServer(settings, new StreamService(store, ExportStatusSource.NOT_STARTED, blocking, clock), "test");
        server.start();
    }

    public ServerFixture(Path root) {
        this(root, IpcSettings.loopbackForTests());
    }

    public StreamManagerClient client() {
        return client(ClientSettings.defaults().withPort(server.port()));
    }

    public StreamManagerClient client(ClientSettings settings) {
        StreamManagerClient client = new StreamManagerClient(settings);
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(StreamManagerClient::close);
        server.close();
        store.close();
        blocking.shutdownNow();
        storeExecutor.shutdownNow();
    }
}
