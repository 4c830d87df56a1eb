package io.github.edgestream.ipc.codec;

/** The single byte that opens a connection in each direction, the "connect version"; 1 is the only one defined. */
public record Preamble(int version) {

    public static final int CONNECT_VERSION = 1;

    /** The TCP port Greengrass's Stream Manager listens on, and so its clients connect to, unless told otherwise. */
    public static final int DEFAULT_PORT = 8088;

    public boolean isSupported() {
        return version == CONNECT_VERSION;
    }
}
