package io.github.edgestream.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a schema as a commented YAML file: every setting in schema order, nested under its sections, with its
 * description and the environment variables that override it as a comment above it, and its default rendered by its
 * type. Settings without a default appear commented out ({@code # unixSocket:}). {@link ConfigLoader} reads the result
 * back to every default, so it can ship as the program's starting configuration file:
 *
 * <pre>
 * server:
 *   # TCP port the SDKs dial. [env: STREAM_MANAGER_SERVER_PORT]
 *   port: 8088
 *   # Also listen on this Unix domain socket.
 *   # unixSocket:
 * </pre>
 *
 * A section is written once, where its first setting is, even if the schema lists its settings apart. Stateless and
 * thread-safe.
 */
public final class ConfigDocs {

    /** Plain scalars YAML would read as null rather than as the text. */
    private static final Set<String> NULL_WORDS = Set.of("~", "null");

    private ConfigDocs() {
    }

    public static String renderYaml(ConfigSchema schema) {
        Section root = new Section();
        for (Setting<?> setting : schema.settings()) {
            Section section = root;
            String[] parts = setting.key().split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                // the schema guarantees no setting has a section's name
                section = (Section) section.entries.computeIfAbsent(parts[i], name -> new Section());
            }
            section.entries.put(parts[parts.length - 1], setting);
        }
        StringBuilder out = new StringBuilder();
        render(root, 0, out);
        return out.toString();
    }

    /** A map in the file; entries are settings or sections, in the order first seen in the schema. */
    private static final class Section {
        final Map<String, Object> entries = new LinkedHashMap<>();
    }

    private static void render(Section section, int depth, StringBuilder out) {
        String indent = "  ".repeat(depth);
        for (Map.Entry<String, Object> entry : section.entries.entrySet()) {
            if (entry.getValue() instanceof Setting<?> setting) {
                String comment = comment(setting);
                if (!comment.isEmpty()) {
                    out.append(indent).append("# ").append(comment).append('\n');
                }
                out.append(indent).append(render(setting, entry.getKey())).append('\n');
            } else {
                if (depth == 0 && out.length() > 0) {
                    out.append('\n');
                }
                out.append(indent).append(entry.getKey()).append(":\n");
                render((Section) entry.getValue(), depth + 1, out);
            }
        }
    }

    private static String comment(Setting<?> setting) {
        String env = setting.environmentVariables().isEmpty() ? ""
                : "[env: " + String.join(", ", setting.environmentVariables()) + "]";
        return setting.description().isEmpty() || env.isEmpty() ? setting.description() + env
                : setting.description() + " " + env;
    }

    private static <T> String render(Setting<T> setting, String name) {
        return setting.defaultValue()
                .map(value -> name + ": " + quote(setting.type().render(value)))
                .orElse("# " + name + ":");
    }

    /**
     * The text as a YAML scalar: plain when YAML reads it back unchanged ({@code 16MiB}, {@code rw-rw----},
     * {@code 127.0.0.1}), double-quoted otherwise.
     */
    private static String quote(String text) {
        boolean plain = text.matches("[A-Za-z0-9_./ -]+") && !text.startsWith("-") && !text.startsWith(" ")
                && !text.endsWith(" ") && !NULL_WORDS.contains(text.toLowerCase(Locale.ROOT));
        if (plain) {
            return text;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
