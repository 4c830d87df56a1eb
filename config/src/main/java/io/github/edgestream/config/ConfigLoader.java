package io.github.edgestream.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads the values of a {@link ConfigSchema}'s settings. Sources, lowest precedence first:
 *
 * <ol>
 *   <li>each setting's default;</li>
 *   <li>the YAML file, a tree of maps: {@code server.port} is {@code server: {port: 8088}};</li>
 *   <li>the setting's environment variables, the first one set winning.</li>
 * </ol>
 *
 * <p>Strict, and complete in its complaints: unknown keys (with a "did you mean"), dotted keys, duplicate keys, maps
 * where a value belongs and values where a map belongs, values that do not parse or break a setting's rule, and
 * references to unset variables are all problems, and every problem found is reported in one
 * {@link ConfigException}. A file value is checked even when an environment variable overrides it. An environment
 * variable set to an empty (or blank) string counts as unset, as does an empty value in the file; Greengrass recipes
 * pass empty strings for parameters nobody set. {@code ${NAME}} and {@code ${NAME:-fallback}} in the file's values are
 * replaced from the environment.
 *
 * <p>Called once at start-up, from any thread. Reads nothing but the file: the environment is a parameter (pass
 * {@code System.getenv()} in production, a map in tests), so loading is repeatable. Thread-safe.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * @param file        the YAML file, if one was named; a named file that does not exist is a problem
     * @param environment the process environment (variable name to value)
     * @throws ConfigException listing every problem found, if there is any
     */
    public static Config load(ConfigSchema schema, Optional<Path> file, Map<String, String> environment)
            throws ConfigException {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(environment, "environment");
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> fromFile = file.map(path -> ConfigFile.read(schema, path, environment, problems))
                .orElse(Map.of());
        String fileSource = file.map(Path::toString).orElse("");
        Map<String, Object> values = new HashMap<>();
        Map<String, Config.Source> sources = new HashMap<>();
        for (Setting<?> setting : schema.settings()) {
            resolve(setting, fromFile.get(setting.key()), fileSource, environment, values, sources, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(schema, values, sources);
    }

    private static <T> void resolve(Setting<T> setting, String fileText, String fileSource,
            Map<String, String> environment, Map<String, Object> values, Map<String, Config.Source> sources,
            List<ConfigProblem> problems) {
        Optional<T> value = setting.defaultValue();
        Config.Source source = Config.Source.DEFAULT;
        if (fileText != null) {
            value = parse(setting, fileText, fileSource, problems);
            source = Config.Source.FILE;
        }
        for (String variable : setting.environmentVariables()) {
            String text = environment.get(variable);
            if (text != null && !text.isBlank()) {
                value = parse(setting, text, "environment variable " + variable, problems);
                source = Config.Source.ENVIRONMENT;
                break;
            }
        }
        if (value.isPresent()) {
            values.put(setting.key(), value.get());
            sources.put(setting.key(), source);
        }
    }

    private static <T> Optional<T> parse(Setting<T> setting, String text, String where,
            List<ConfigProblem> problems) {
        try {
            return Optional.of(setting.parse(text));
        } catch (IllegalArgumentException e) {
            String rule = Objects.requireNonNullElse(e.getMessage(), "be " + setting.type().description());
            problems.add(ConfigProblem.ofValue(setting.key(), text, where, rule));
            return Optional.empty();
        }
    }
}
