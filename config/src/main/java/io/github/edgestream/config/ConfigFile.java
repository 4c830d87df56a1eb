package io.github.edgestream.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a YAML config file into the text of each setting it gives, checking its shape against the schema: sections
 * are maps, settings are single values, keys are known, nested (never dotted) and given once, and there is one
 * document. {@code ${NAME}} and {@code ${NAME:-fallback}} in values are replaced from the environment.
 *
 * <p>Values are taken as the characters written, through Jackson's streaming parser rather than a tree: a tree would
 * turn {@code yes} into {@code true}, {@code 010} into {@code 8} and {@code 1.10} into {@code 1.1} before the
 * setting's type saw them. An empty value ({@code key:}, {@code key: ~}, or a reference that comes out empty) counts
 * as not set, as an empty environment variable does.
 *
 * <p>Not thread-safe; one instance per load.
 */
final class ConfigFile {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final ConfigSchema schema;
    private final String source;
    private final Map<String, String> environment;
    private final List<ConfigProblem> problems;
    private final Map<String, String> texts = new LinkedHashMap<>();

    private ConfigFile(ConfigSchema schema, Path path, Map<String, String> environment,
            List<ConfigProblem> problems) {
        this.schema = schema;
        this.source = path.toString();
        this.environment = environment;
        this.problems = problems;
    }

    /**
     * The text of every setting the file gives a value, by key; adds what is wrong with the file to {@code problems}
     * (then the result may lack settings the file meant to give).
     */
    static Map<String, String> read(ConfigSchema schema, Path path, Map<String, String> environment,
            List<ConfigProblem> problems) {
        ConfigFile file = new ConfigFile(schema, path, environment, problems);
        String content = file.content(path);
        if (content != null) {
            file.parse(content);
        }
        return file.texts;
    }

    private String content(Path path) {
        if (Files.isDirectory(path)) {
            problems.add(ConfigProblem.ofSource(source, "cannot read the config file: it is a directory"));
            return null;
        }
        try {
            return Files.readString(path);
        } catch (NoSuchFileException e) {
            problems.add(ConfigProblem.ofSource(source, "cannot read the config file: no such file"));
        } catch (AccessDeniedException e) {
            problems.add(ConfigProblem.ofSource(source, "cannot read the config file: permission denied"));
        } catch (CharacterCodingException e) {
            problems.add(ConfigProblem.ofSource(source, "cannot read the config file: it is not UTF-8 text"));
        } catch (IOException e) {
            problems.add(ConfigProblem.ofSource(source, "cannot read the config file: " + e));
        }
        return null;
    }

    private void parse(String content) {
        int problemsBefore = problems.size();
        try (JsonParser parser = YAML.createParser(content)) {
            JsonToken root = parser.nextToken();
            if (root == JsonToken.START_OBJECT) {
                readMap(parser, "");
            } else if (root != null && !isEmpty(parser, root)) { // null: nothing but comments, all defaults
                problems.add(ConfigProblem.ofSource(source, "the top level must be a map of settings, not "
                        + shape(root)));
                parser.skipChildren();
            }
            if (root != null && parser.nextToken() != null) {
                problems.add(ConfigProblem.ofSource(source, "holds more than one YAML document; keep every setting"
                        + " in one"));
            }
        } catch (JsonProcessingException e) {
            // what was read before the error may be its echo (an unclosed list looks like a list): report it alone
            problems.subList(problemsBefore, problems.size()).clear();
            texts.clear();
            problems.add(ConfigProblem.ofSource(source, "is not valid YAML: " + describe(e)));
        } catch (IOException e) {
            problems.add(ConfigProblem.ofSource(source, "cannot read the config file: " + e));
        }
    }

    /** Reads the entries of the map just started, whose own path is {@code prefix} ("" at the top). */
    private void readMap(JsonParser parser, String prefix) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            int line = parser.currentTokenLocation().getLineNr();
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            JsonToken token = parser.nextToken();
            Integer earlier = lines.putIfAbsent(name, line);
            if (earlier != null) {
                problems.add(ConfigProblem.ofKey(key, source, "is given twice (lines " + earlier + " and " + line
                        + "); keep one"));
            }
            readEntry(parser, key, name, token);
        }
    }

    private void readEntry(JsonParser parser, String key, String name, JsonToken token) throws IOException {
        if (name.contains(".")) {
            boolean known = schema.setting(key) != null || schema.isSection(key);
            problems.add(ConfigProblem.ofKey(key, source, known
                    ? "must be written nested, " + nested(key) + ", not as one dotted key"
                    : "unknown setting" + suggestion(key)));
            parser.skipChildren();
        } else if (schema.setting(key) != null) {
            readValue(parser, key, token);
        } else if (schema.isSection(key)) {
            if (token == JsonToken.START_OBJECT) {
                readMap(parser, key);
            } else if (!isEmpty(parser, token)) { // "server:" with nothing under it is an empty section
                problems.add(ConfigProblem.ofKey(key, source, "must be a map of settings (" + key + ".*), not "
                        + shape(token)));
                parser.skipChildren();
            }
        } else {
            problems.add(ConfigProblem.ofKey(key, source, "unknown setting" + suggestion(key)));
            parser.skipChildren();
        }
    }

    private void readValue(JsonParser parser, String key, JsonToken token) throws IOException {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            problems.add(ConfigProblem.ofKey(key, source, "must be a single value, not " + shape(token)));
            parser.skipChildren();
            return;
        }
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            problems.add(ConfigProblem.ofKey(key, source, "must be written out, not a YAML alias (*"
                    + parser.getText() + ")"));
            return;
        }
        if (isEmpty(parser, token)) {
            return;
        }
        String text = substitute(key, parser.getText());
        if (text != null && !text.isBlank()) {
            texts.put(key, text);
        }
    }

    /** The text with every {@code ${NAME}} replaced; null, with a problem per unset variable, if one is unset. */
    private String substitute(String key, String text) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean complete = true;
        while (matcher.find()) {
            String value = environment.get(matcher.group(1));
            if (value == null || value.isBlank()) {
                value = matcher.group(2);
            }
            if (value == null) {
                problems.add(ConfigProblem.ofValue(key, text, source, "refer only to set environment variables ("
                        + matcher.group(1) + " is not set; ${" + matcher.group(1) + ":-fallback} gives a fallback)"));
                complete = false;
                value = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return complete ? out.toString() : null;
    }

    private static boolean isEmpty(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NULL || token.isScalarValue() && parser.getText().isBlank();
    }

    private static String shape(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "a map";
            case START_ARRAY -> "a list";
            default -> "a single value";
        };
    }

    /** {@code a.b.c} as {@code a: {b: {c: ...}}}. */
    private static String nested(String key) {
        String[] parts = key.split("\\.");
        return String.join(": {", parts) + ": ..." + "}".repeat(parts.length - 1);
    }

    /** SnakeYAML's sentences without the lines it quotes, and where: "mapping values are not allowed here at ...". */
    private static String describe(JsonProcessingException e) {
        String message = Objects.toString(e.getOriginalMessage(), "").strip();
        String sentences = message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(String::strip)
                .collect(Collectors.joining("; "));
        JsonLocation where = e.getLocation();
        return (sentences.isEmpty() ? message : sentences)
                + (where == null || where.getLineNr() < 1 ? ""
                : " at line " + where.getLineNr() + ", column " + where.getColumnNr());
    }

    /** {@code ; did you mean "server.port"?} for the closest key or section, if it is close enough; else "". */
    private String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String path : schema.paths()) {
            int distance = distance(key.toLowerCase(Locale.ROOT), path.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = path;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? "; did you mean \"" + best + "\"?" : "";
    }

    /** Levenshtein distance. */
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
