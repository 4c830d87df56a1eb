package io.github.edgestream.core.archfixture;

import io.github.edgestream.ipc.archfixture.IpcEndpoint;

/** Deliberately breaks the rules: core code that uses the IPC module. Only the architecture self-test loads it. */
public final class CoreReachingIntoIpc {

    public String endpoint() {
        return new IpcEndpoint().toString();
    }
}
