package io.github.edgestream.cli;

import io.github.edgestream.ipc.client.ClientConnectionException;
import io.github.edgestream.ipc.client.ClientSettings;
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
            command = command instanceof GroupsCommand groups ? groups.parent : ((StreamsCommand) command).parent;
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
        ClientSettings settings;
        try {
            settings = connection.settings(environment());
        } catch (IllegalArgumentException e) {
            output.error(e.getMessage());
            return ExitCodes.USAGE;
        }
        try (StreamManagerClient client = new StreamManagerClient(settings)) {
            return run(client, output);
        } catch (UsageException | IllegalArgumentException e) {
            output.error(e.getMessage());
            return ExitCodes.USAGE;
        } catch (Exception e) {
            return report(unwrap(e), output, settings);
        }
    }

    static int report(Throwable failure, Output output, ClientSettings settings) {
        if (failure instanceof StreamManagerException refused) {
            if (refused.status() == io.github.edgestream.ipc.wire.ResponseStatus.UNAUTHORIZED) {
                output.error("the edgestream daemon at " + settings.address() + " refused the connection: "
                        + refused.getMessage() + " (or pass --token, or --token-file with the daemon's auth-token"
                        + " file)");
                return ExitCodes.UNREACHABLE;
            }
            output.error(refused.getMessage());
            return ExitCodes.REFUSED;
        }
        if (failure instanceof ClientConnectionException unreachable) {
            output.error(unreachable.address().isPresent()
                    ? cannotConnect(unreachable, settings.unixSocket().isPresent()) : unreachable.getMessage());
            return ExitCodes.UNREACHABLE;
        }
        if (failure instanceof UsageException || failure instanceof IllegalArgumentException) {
            output.error(failure.getMessage());
            return ExitCodes.USAGE;
        }
        output.error("unexpected failure: " + failure);
        return ExitCodes.REFUSED;
    }

    /**
     * {@code cannot connect to the edgestream daemon at 127.0.0.1:8088: connection refused (is it running? ...)}:
     * where, why in plain words, and what to check, by the client options that choose the address.
     */
    static String cannotConnect(ClientConnectionException failure, boolean unix) {
        String address = failure.address().orElseThrow();
        ClientConnectionException.Reason reason = failure.reason().orElse(ClientConnectionException.Reason.OTHER);
        String where = unix ? "--socket" : "--host and --port, or STREAM_MANAGER_SERVER_PORT";
        String advice = switch (reason) {
            case CONNECTION_REFUSED -> unix
                    ? "is it running? Nothing listens on this file; --socket must name the daemon's server.unixSocket"
                    : "is it running? It listens on the port set by STREAM_MANAGER_SERVER_PORT or server.port, 8088 "
                            + "by default; give the client the same port with --port or that variable";
            case NO_SUCH_FILE -> "is it running, with server.unixSocket set to this path? --socket names the path";
            case PERMISSION_DENIED -> "this user may not open the socket; run as a user that server"
                    + ".unixSocketPermissions allows (e.g. the daemon's user or group)";
            case TIMED_OUT -> "is the host reachable, and the port open in its firewall? Check " + where;
            case UNKNOWN_HOST -> "check --host";
            case UNREACHABLE -> "check --host and the network";
            case NOT_A_STREAM_MANAGER -> "something else listens there; check " + where;
            case CLOSED -> "the daemon may be stopping or at its connection limit (server.maxConnections); see its"
                    + " log";
            case OTHER -> "check " + where;
        };
        return "cannot connect to the edgestream daemon at " + address + ": "
                + failure.detail().orElse(reason.words()) + " (" + advice + ")";
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
