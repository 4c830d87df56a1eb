package io.github.edgestream.cli;

import io.github.edgestream.config.Config;
import io.github.edgestream.config.ConfigDocs;
import io.github.edgestream.config.ConfigException;
import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.config.Setting;
import io.github.edgestream.daemon.DaemonConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code edgestream config defaults | check}: the daemon's settings, without starting it. */
@Command(name = "config", description = "Show the daemon's settings: every default, or what a configuration "
        + "resolves to.", mixinStandardHelpOptions = true,
        subcommands = {ConfigCommand.Defaults.class, ConfigCommand.Check.class})
final class ConfigCommand {

    @ParentCommand
    EdgestreamCli root;

    @Command(name = "defaults", mixinStandardHelpOptions = true,
            description = "Print every setting as commented YAML: description, environment variables, default "
                    + "(the distribution's conf/edgestream.yaml).")
    static final class Defaults implements Callable<Integer> {

        /** The defaults file: what {@code edgestream config defaults} prints and conf/edgestream.yaml holds. */
        static String text() {
            return """
                    # edgestream configuration: every setting, its default and the environment variables that
                    # override it. Precedence, lowest first: defaults, this file (edgestream run --config FILE),
                    # environment. Sizes: 512KiB, 16MiB, 1GiB; durations: 500ms, 10s, 5m, 2h, 1d.
                    # Check a file with: edgestream config check --config FILE

                    """ + ConfigDocs.renderYaml(DaemonConfig.SCHEMA);
        }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(text());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load the configuration as run would (defaults, --config file, environment) and print "
                    + "every setting's value and where it came from; exit 4 listing every problem.")
    static final class Check implements Callable<Integer> {

        @Option(names = "--config", description = "YAML configuration file.")
        Path config;

        @ParentCommand
        ConfigCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(),
                    parent.root.connection.json);
            Config loaded;
            try {
                loaded = ConfigLoader.load(DaemonConfig.SCHEMA, Optional.ofNullable(config),
                        parent.root.environment);
            } catch (ConfigException e) {
                output.error(e.getMessage());
                return ExitCodes.CONFIG;
            }
            List<List<String>> rows = new ArrayList<>();
            Map<String, Map<String, String>> json = new LinkedHashMap<>();
            for (Setting<?> setting : DaemonConfig.SCHEMA.settings()) {
                String value = render(loaded, setting);
                String source = switch (loaded.source(setting)) {
                    case DEFAULT -> "default";
                    case FILE -> String.valueOf(config);
                    case ENVIRONMENT -> "environment";
                };
                rows.add(List.of(setting.key(), value, source));
                json.put(setting.key(), Map.of("value", value, "source", source));
            }
            if (output.json()) {
                output.printJson(json);
            } else {
                output.table(List.of("SETTING", "VALUE", "FROM"), rows);
            }
            return ExitCodes.OK;
        }

        private static <T> String render(Config loaded, Setting<T> setting) {
            return loaded.find(setting).map(setting.type()::render).orElse("(not set)");
        }
    }
}
