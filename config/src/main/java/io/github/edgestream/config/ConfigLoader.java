package io.github.edgestream.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a {@link ConfigSchema}'s values from, lowest precedence first: the settings' defaults, a YAML file, and
 * environment variables. Strict: unknown keys, wrong shapes and values that do not parse are problems, and every
 * problem is reported in one {@link ConfigException}. {@code ${NAME}} and {@code ${NAME:-fallback}} in the file's
 * values are replaced from the environment. An environment variable set to an empty string counts as unset.
 *
 * <p>Pure apart from reading the file: the environment is a parameter. Thread-safe.
 */
public final class ConfigLoader {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private ConfigLoader() {
    }

    public static Config load(ConfigSchema schema, Optional<Path> file, Map<String, String> environment)
            throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> fromFile = new HashMap<>();
        file.ifPresent(path -> readFile(schema, path, environment, fromFile, problems));
        Map<String, Object> values = new HashMap<>();
        Map<String, Config.Source> sources = new HashMap<>();
        for (Setting<?> setting : schema.settings()) {
            resolve(setting, file, environment, fromFile, values, sources, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(values, sources);
    }

    private static <T> void resolve(Setting<T> setting, Optional<Path> file, Map<String, String> environment,
            Map<String, String> fromFile, Map<String, Object> values, Map<String, Config.Source> sources,
            List<ConfigProblem> problems) {
        for (String variable : setting.environmentVariables()) {
            String text = environment.get(variable);
            if (text != null && !text.isEmpty()) {
                parse(setting, text, "environment variable " + variable, Config.Source.ENVIRONMENT, values, sources,
                        problems);
                return;
            }
        }
        String text = fromFile.get(setting.key());
        if (text != null) {
            parse(setting, text, file.map(Path::toString).orElse("file"), Config.Source.FILE, values, sources,
                    problems);
            return;
        }
        setting.defaultValue().ifPresent(value -> {
            values.put(setting.key(), value);
            sources.put(setting.key(), Config.Source.DEFAULT);
        });
    }

    private static <T> void parse(Setting<T> setting, String text, String where, Config.Source source,
            Map<String, Object> values, Map<String, Config.Source> sources, List<ConfigProblem> problems) {
        try {
            values.put(setting.key(), setting.parse(text));
            sources.put(setting.key(), source);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(setting.key(), text, where, e.getMessage()));
        }
    }

    private static void readFile(ConfigSchema schema, Path path, Map<String, String> environment,
            Map<String, String> values, List<ConfigProblem> problems) {
        JsonNode root;
        try {
            String content = Files.readString(path);
            root = new YAMLMapper().readTree(content);
        } catch (NoSuchFileException e) {
            problems.add(new ConfigProblem("(file)", null, path.toString(), "cannot read the config file: no such file"));
            return;
        } catch (JsonProcessingException e) {
            problems.add(new ConfigProblem("(file)", null, path.toString(), "is not valid YAML: "
                    + e.getOriginalMessage() + (e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())));
            return;
        } catch (IOException e) {
            problems.add(new ConfigProblem("(file)", null, path.toString(), "cannot read the config file: "
                    + e.getMessage()));
            return;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file: all defaults
        }
        if (!root.isObject()) {
            problems.add(new ConfigProblem("(file)", null, path.toString(), "must be a map of settings"));
            return;
        }
        walk(schema, root, "", path, environment, values, problems);
    }

    private static void walk(ConfigSchema schema, JsonNode node, String prefix, Path path,
            Map<String, String> environment, Map<String, String> values, List<ConfigProblem> problems) {
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            String key = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            JsonNode value = entry.getValue();
            if (schema.find(key).isPresent()) {
                if (value.isNull()) {
                    continue; // "key:" with nothing: the default
                }
                if (!value.isValueNode()) {
                    problems.add(new ConfigProblem(key, null, path.toString(),
                            "must be a single value, not a " + (value.isObject() ? "map" : "list")));
                    continue;
                }
                String text = substitute(key, value.asText(), path, environment, problems);
                if (text != null) {
                    values.put(key, text);
                }
            } else if (schema.isSection(key)) {
                if (value.isObject()) {
                    walk(schema, value, key, path, environment, values, problems);
                } else if (!value.isNull()) {
                    problems.add(new ConfigProblem(key, null, path.toString(),
                            "must be a map of settings (" + key + ".*)"));
                }
            } else {
                problems.add(new ConfigProblem(key, null, path.toString(), "unknown setting" + suggestion(schema, key)));
            }
        }
    }

    private static String substitute(String key, String text, Path path, Map<String, String> environment,
            List<ConfigProblem> problems) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (matcher.find()) {
            String value = environment.get(matcher.group(1));
            if (value == null || value.isEmpty()) {
                value = matcher.group(2);
            }
            if (value == null) {
                problems.add(new ConfigProblem(key, text, path.toString(), "refer only to set environment variables ("
                        + matcher.group(1) + " is not set; ${" + matcher.group(1) + ":-fallback} gives a fallback)"));
                ok = false;
                value = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return ok ? out.toString() : null;
    }

    private static String suggestion(ConfigSchema schema, String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Setting<?> setting : schema.settings()) {
            int distance = distance(key.toLowerCase(), setting.key().toLowerCase());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = setting.key();
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? "; did you mean \"" + best + "\"?" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
