package io.github.edgestream.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a schema as a commented YAML file: every setting in schema order, nested under its sections, with its
 * description, the environment variables that override it, and its default (settings without a default appear
 * commented out). Loading the result gives every default back.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    public static String renderYaml(ConfigSchema schema) {
        StringBuilder out = new StringBuilder();
        List<String> open = new ArrayList<>();
        for (Setting<?> setting : schema.settings()) {
            List<String> parts = List.of(setting.key().split("\\."));
            List<String> sections = parts.subList(0, parts.size() - 1);
            int common = 0;
            while (common < open.size() && common < sections.size() && open.get(common).equals(sections.get(common))) {
                common++;
            }
            open = new ArrayList<>(open.subList(0, common));
            for (int i = common; i < sections.size(); i++) {
                if (i == 0 && out.length() > 0) {
                    out.append('\n');
                }
                out.append("  ".repeat(i)).append(sections.get(i)).append(":\n");
                open.add(sections.get(i));
            }
            String indent = "  ".repeat(sections.size());
            out.append(indent).append("# ").append(setting.description());
            if (!setting.environmentVariables().isEmpty()) {
                out.append(" [env: ").append(String.join(", ", setting.environmentVariables())).append(']');
            }
            out.append('\n');
            out.append(indent).append(render(setting, parts.get(parts.size() - 1))).append('\n');
        }
        return out.toString();
    }

    private static <T> String render(Setting<T> setting, String name) {
        return setting.defaultValue()
                .map(value -> name + ": " + quote(setting.type().render(value)))
                .orElse("# " + name + ":");
    }

    /** Quotes values YAML would read as something else (e.g. {@code 0s} is fine, {@code rw-rw----} too). */
    private static String quote(String text) {
        boolean plain = text.matches("[A-Za-z0-9_./ -]*") && !text.isEmpty() && !text.startsWith("-")
                && !text.startsWith(" ") && !text.endsWith(" ");
        return plain ? text : '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
