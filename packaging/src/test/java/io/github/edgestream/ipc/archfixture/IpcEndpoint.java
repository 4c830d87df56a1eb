package io.github.edgestream.ipc.archfixture;

/** A stand-in IPC class for the architecture self-test. */
public final class IpcEndpoint {
}
