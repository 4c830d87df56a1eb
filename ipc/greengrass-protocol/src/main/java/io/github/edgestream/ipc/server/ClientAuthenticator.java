package io.github.edgestream.ipc.server;

import java.util.concurrent.CompletionStage;

/** Decides whether a client's handshake token may connect. Thread-safe; called on event-loop threads, so it must not block. */
public interface ClientAuthenticator {
    /** Completes with true to accept, false to refuse; exceptionally when no decision can be made (the client is refused and told why). Never null. */
    CompletionStage<Boolean> authenticate(String token);

    /** For the daemon's start-up log line, e.g. "token file /var/lib/edgestream/auth-token". */
    String describe();
}
