package io.github.edgestream.core.cursor;

/**
 * Names of cursors, groups and instances, and the checkpoint records they live in. The allowed characters need no
 * escaping, so a cursor's record is {@code cursor.} followed by its name as is ({@code CheckpointFiles} maps any
 * record name to a safe file name). Exports own the prefix {@code export.} ({@code ExportProgress.recordName}).
 */
final class CursorNames {

    static final int MAX_LENGTH = 128;
    static final String RECORD_PREFIX = "cursor.";
    static final String EXPORT_PREFIX = "export.";
    static final String RULE = "1 to " + MAX_LENGTH + " characters of A-Z a-z 0-9 _ . -";

    private CursorNames() {
    }

    /** Returns {@code value} if it is a valid name, else throws naming {@code field}, the value and the rule. */
    static String check(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing (" + RULE + ")");
        }
        boolean valid = !value.isEmpty() && value.length() <= MAX_LENGTH;
        for (int i = 0; valid && i < value.length(); i++) {
            char c = value.charAt(i);
            valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
        }
        if (!valid) {
            throw new IllegalArgumentException(field + " \"" + shown(value) + "\" is invalid: " + RULE
                    + (value.length() > MAX_LENGTH ? " (it has " + value.length() + ")" : ""));
        }
        return value;
    }

    static String recordName(String name) {
        return RECORD_PREFIX + name;
    }

    static long checkPosition(String field, long position) {
        if (position < 0) {
            throw new IllegalArgumentException(field + " " + position + " is negative (positions are >= 0)");
        }
        return position;
    }

    private static String shown(String value) {
        return value.length() <= MAX_LENGTH + 12 ? value : value.substring(0, MAX_LENGTH) + "...";
    }
}
