package io.github.edgestream.api.kinesis.archfixture;

import io.github.edgestream.ipc.archfixture.IpcEndpoint;

/** An HTTP API that uses a Greengrass protocol class: what the module rules forbid. */
public final class ApiReachingIntoGreengrass {

    public Object endpoint() {
        return new IpcEndpoint();
    }
}
