package io.github.edgestream.cli;

import io.github.edgestream.daemon.Daemon;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code edgestream} command: the daemon ({@code run}) and a client for it. Client commands speak the Stream
 * Manager protocol, so they work against the AWS Greengrass stream manager too.
 */
@Command(name = "edgestream",
        description = "Stream manager for edge gateways, wire-compatible with AWS IoT Greengrass Stream Manager.",
        subcommands = {RunCommand.class, StreamsCommand.class, AppendCommand.class, ReadCommand.class,
                CommandLine.HelpCommand.class},
        mixinStandardHelpOptions = true,
        versionProvider = EdgestreamCli.Version.class,
        footer = "%n" + ExitCodes.HELP)
public final class EdgestreamCli {

    @picocli.CommandLine.Mixin
    ConnectionOptions connection;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        if (args.length == 0 || !args[0].equals("run")) {
            // client commands print results, not logs
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        return new CommandLine(new EdgestreamCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"edgestream " + Daemon.version()};
        }
    }
}
