package io.github.edgestream.cli;

import io.github.edgestream.config.Config;
import io.github.edgestream.config.ConfigException;
import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.daemon.DaemonConfig;
import io.github.edgestream.daemon.Logging;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code edgestream run}: the daemon, in the foreground, logging to standard output. Configuration: built-in
 * defaults, then {@code --config FILE}, then the Greengrass environment variables. SIGTERM or SIGINT stop it
 * gracefully and it exits 0.
 */
@Command(name = "run", description = "Run the daemon in the foreground (what systemd and Greengrass start).",
        mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", description = "YAML configuration file (every setting, with defaults: "
            + "edgestream.yaml in the distribution's conf/).")
    Path config;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    EdgestreamCli root;

    Map<String, String> environment() {
        return root.environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        Config loaded;
        try {
            loaded = ConfigLoader.load(DaemonConfig.SCHEMA, Optional.ofNullable(config), environment());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("edgestream: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.CONFIG;
        }
        Logging.configure(loaded.get(DaemonConfig.LOG_LEVEL));
        Daemon daemon;
        try {
            daemon = Daemon.start(loaded, environment());
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("edgestream: cannot start: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.REFUSED;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::stop, "edgestream-shutdown"));
        stop.await();
        daemon.stop();
        return ExitCodes.OK;
    }
}
