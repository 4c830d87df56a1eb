package io.github.edgestream.ipc.client.archfixture;

import io.github.edgestream.ipc.server.IpcSettings;

/** A client class that reaches into the server: what the module rules forbid. */
public final class ClientUsingTheServer {

    public int port() {
        return IpcSettings.loopbackForTests().port();
    }
}
