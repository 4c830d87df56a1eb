package io.github.edgestream.cli;

import io.github.edgestream.ipc.client.ClientConnectionException;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.client.StreamManagerException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the daemon: connects, runs, maps failures to exit codes and clear messages. */
abstract class ClientCommand implements Callable<Integer> {

    @ParentCommand
    Object parent;

    @Spec
    CommandSpec spec;

    Map<String, String> environment() {
        return root().environment;
    }

    java.io.InputStream stdin() {
        return root().stdin;
    }

    abstract int run(StreamManagerClient client, Output output) throws Exception;

    private EdgestreamCli root() {
        Object command = parent;
        while (!(command instanceof EdgestreamCli)) {
            command = ((StreamsCommand) command).parent;
        }
        return (EdgestreamCli) command;
    }

    /** The options, declared once on the root command and inherited by every command. */
    ConnectionOptions connection() {
        return root().connection;
    }

    @Override
    public Integer call() {
        ConnectionOptions connection = connection();
        Output output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), connection.json);
        try (StreamManagerClient client = connection.connect(environment())) {
            return run(client, output);
        } catch (UsageException | IllegalArgumentException e) {
            output.error(e.getMessage());
            return ExitCodes.USAGE;
        } catch (Exception e) {
            return report(unwrap(e), output);
        }
    }

    static int report(Throwable failure, Output output) {
        if (failure instanceof StreamManagerException refused) {
            if (refused.status() == io.github.edgestream.ipc.wire.ResponseStatus.UNAUTHORIZED) {
                output.error(refused.getMessage() + " (or pass --token, or --token-file with the daemon's"
                        + " auth-token file)");
                return ExitCodes.UNREACHABLE;
            }
            output.error(refused.getMessage());
            return ExitCodes.REFUSED;
        }
        if (failure instanceof ClientConnectionException unreachable) {
            output.error(unreachable.getMessage());
            return ExitCodes.UNREACHABLE;
        }
        if (failure instanceof UsageException || failure instanceof IllegalArgumentException) {
            output.error(failure.getMessage());
            return ExitCodes.USAGE;
        }
        output.error("unexpected failure: " + failure);
        return ExitCodes.REFUSED;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
    }

    /** Bad input found by the CLI itself. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
