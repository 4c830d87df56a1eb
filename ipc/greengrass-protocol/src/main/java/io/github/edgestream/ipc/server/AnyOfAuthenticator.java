package io.github.edgestream.ipc.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Accepts a token that any of its authenticators accepts, asking them in order and stopping at the first yes: under a
 * Greengrass nucleus, the daemon's own token file first (the operator's CLI on the gateway), then the nucleus (the
 * other components). A failure to decide is passed on only if no later authenticator said yes. Thread-safe if its
 * authenticators are.
 */
public final class AnyOfAuthenticator implements ClientAuthenticator {

    private final List<ClientAuthenticator> authenticators;

    public AnyOfAuthenticator(List<ClientAuthenticator> authenticators) {
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("at least one authenticator");
        }
        this.authenticators = List.copyOf(authenticators);
    }

    @Override
    public CompletionStage<Boolean> authenticate(String token) {
        return ask(0, token, null);
    }

    private CompletionStage<Boolean> ask(int index, String token, Throwable earlierFailure) {
        if (index == authenticators.size()) {
            return earlierFailure == null ? CompletableFuture.completedFuture(false)
                    : CompletableFuture.failedFuture(earlierFailure);
        }
        CompletionStage<Boolean> decision;
        try {
            decision = authenticators.get(index).authenticate(token);
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        return decision.handle((known, failure) -> Boolean.TRUE.equals(known) && failure == null
                        ? CompletableFuture.completedFuture(true)
                        : ask(index + 1, token, failure != null ? failure : earlierFailure))
                .thenCompose(next -> next);
    }

    @Override
    public String describe() {
        return authenticators.stream().map(ClientAuthenticator::describe).collect(Collectors.joining(", or "));
    }
}
