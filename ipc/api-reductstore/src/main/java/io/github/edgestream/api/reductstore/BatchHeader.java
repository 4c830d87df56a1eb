package io.github.edgestream.api.reductstore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One record's header of a v1 batch: {@code <length>,<content type>[,label=value...]}, a label's value in double
 * quotes when it holds a comma (as the clients write it).
 *
 * @param contentType the default ({@code application/octet-stream}) when empty
 */
record BatchHeader(long length, String contentType, Map<String, String> labels) {

    static BatchHeader parse(String header, String value) {
        return parse(header, value, false);
    }

    /** @param changes label changes (an update): an empty value is kept, it removes the label */
    static BatchHeader parse(String header, String value, boolean changes) {
        List<String> items = split(value);
        if (items.isEmpty() || !isLength(items.get(0).trim())) {
            throw ReductException.unprocessable("Invalid header '" + header + "': \"" + Buckets.clip(value)
                    + "\" must start with the record's length in bytes");
        }
        long length = Long.parseLong(items.get(0).trim());
        String contentType = items.size() > 1 && !items.get(1).isBlank() ? items.get(1).trim()
                : Records.DEFAULT_CONTENT_TYPE;
        Map<String, String> labels = new LinkedHashMap<>();
        for (String item : items.subList(Math.min(2, items.size()), items.size())) {
            int equals = item.indexOf('=');
            if (equals < 0) {
                throw ReductException.unprocessable("Invalid header '" + header + "': label \"" + Buckets.clip(item)
                        + "\" must be name=value");
            }
            String name = item.substring(0, equals).trim().toLowerCase(java.util.Locale.ROOT);
            String labelValue = item.substring(equals + 1);
            if (labelValue.length() >= 2 && labelValue.startsWith("\"") && labelValue.endsWith("\"")) {
                labelValue = labelValue.substring(1, labelValue.length() - 1);
            }
            Records.checkLabel(name, labelValue, header);
            if (changes || !labelValue.isEmpty()) {
                labels.put(name, labelValue);
            }
        }
        if (labels.size() > Records.MAX_LABELS) {
            throw ReductException.unprocessable("Invalid header '" + header + "': " + labels.size()
                    + " labels, the limit is " + Records.MAX_LABELS);
        }
        return new BatchHeader(length, contentType, labels);
    }

    /** 1 to 10 decimal digits (checked by hand: this runs for every record of a batch). */
    static boolean isLength(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Splits on commas outside double quotes. */
    private static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == ',' && !quoted) {
                items.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        items.add(current.toString());
        return items;
    }

    /** The v1 header value of a record: its length, content type and labels (quoted when holding a comma). */
    static String format(long length, String contentType, Map<String, String> labels) {
        StringBuilder out = new StringBuilder().append(length).append(',').append(contentType);
        labels.forEach((k, v) -> out.append(',').append(k).append('=').append(v.indexOf(',') >= 0 ? "\"" + v + "\""
                : v));
        return out.toString();
    }
}
