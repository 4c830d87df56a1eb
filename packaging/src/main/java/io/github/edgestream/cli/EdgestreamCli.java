package io.github.edgestream.cli;

import io.github.edgestream.daemon.Daemon;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code edgestream} command: the daemon ({@code run}) and a client for it. Client commands speak the Stream
 * Manager protocol, so they work against the AWS Greengrass stream manager too.
 */
@Command(name = "edgestream",
        description = "Stream manager for edge gateways, wire-compatible with AWS IoT Greengrass Stream Manager.",
        subcommands = {RunCommand.class, ConfigCommand.class, StreamsCommand.class, AppendCommand.class,
                ReadCommand.class, GroupsCommand.class, CommandLine.HelpCommand.class},
        mixinStandardHelpOptions = true,
        versionProvider = EdgestreamCli.Version.class,
        footer = "%n" + ExitCodes.HELP)
public final class EdgestreamCli {

    @picocli.CommandLine.Mixin
    ConnectionOptions connection;

    /** The process environment; tests pass their own. */
    Map<String, String> environment = System.getenv();

    /** Standard input, for {@code append --stdin}; tests pass their own. */
    InputStream stdin = System.in;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        if (args.length == 0 || !args[0].equals("run")) {
            // client commands print results, not logs
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        return commandLine(new EdgestreamCli()).execute(args);
    }

    /** Runs a command line with the given streams and environment; for tests and embedding. */
    public static int execute(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> environment,
            String... args) {
        EdgestreamCli root = new EdgestreamCli();
        root.environment = environment;
        root.stdin = in;
        CommandLine commandLine = commandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    private static CommandLine commandLine(EdgestreamCli root) {
        return new CommandLine(root).setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"edgestream " + Daemon.version()};
        }
    }
}
