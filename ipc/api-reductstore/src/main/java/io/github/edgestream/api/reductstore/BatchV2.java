package io.github.edgestream.api.reductstore;

import io.github.edgestream.http.HttpCall;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A multi-entry batch request in ReductStore's v2 format ({@code /io/{bucket}/write|update|remove}):
 * {@code x-reduct-entries} (percent-encoded names), {@code x-reduct-start-ts}, optionally {@code x-reduct-labels}
 * (label names a record header may give by index), and per record {@code x-reduct-<entry index>-<time delta>:
 * <length>[,<content type>[,<label changes>]]}, content type and labels given against the entry's previous record in
 * the request (a label changed to {@code ""} is gone). Records are in time order, then entry order; so are the
 * bodies of a write.
 *
 * @param records every record, in that order, with its full content type and labels
 */
record BatchV2(List<String> entries, List<Record> records) {

    /** One record of the request. */
    record Record(int entry, long timestamp, long length, String contentType, Map<String, String> labels) {
        String key(long startTs) {
            return entry + "-" + (timestamp - startTs);
        }
    }

    static BatchV2 parse(HttpCall call) {
        String entriesHeader = call.headers().get("x-reduct-entries");
        String startHeader = call.headers().get("x-reduct-start-ts");
        if (entriesHeader == null || startHeader == null) {
            throw ReductException.unprocessable("a v2 batch needs x-reduct-entries and x-reduct-start-ts headers");
        }
        List<String> entries = new ArrayList<>();
        if (!entriesHeader.isBlank()) {
            for (String item : entriesHeader.split(",")) {
                String name = decode(item.trim());
                Buckets.entryName(name);
                entries.add(name);
            }
        }
        long start;
        try {
            start = Long.parseLong(startHeader.trim());
            Records.checkTimestamp(start);
        } catch (NumberFormatException e) {
            throw ReductException.unprocessable("x-reduct-start-ts must be microseconds, not \""
                    + Buckets.clip(startHeader) + "\"");
        }
        List<String> labelNames = new ArrayList<>();
        String labelsHeader = call.headers().get("x-reduct-labels");
        if (labelsHeader != null && !labelsHeader.isBlank()) {
            for (String item : labelsHeader.split(",")) {
                labelNames.add(decode(item.trim()).toLowerCase(Locale.ROOT));
            }
        }
        List<long[]> order = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : call.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith("x-reduct-") || name.startsWith("x-reduct-error-")) {
                continue;
            }
            String suffix = name.substring("x-reduct-".length());
            int dash = suffix.lastIndexOf('-');
            if (dash < 0 || !suffix.substring(0, dash).matches("\\d{1,5}")
                    || !suffix.substring(dash + 1).matches("\\d{1,19}")) {
                continue;
            }
            int entry = Integer.parseInt(suffix.substring(0, dash));
            long delta = Long.parseLong(suffix.substring(dash + 1));
            if (entry >= entries.size()) {
                throw ReductException.unprocessable("Invalid header '" + name + "': entry index out of range");
            }
            order.add(new long[] {delta, entry});
            values.put(entry + "-" + delta, header.getValue());
        }
        if (order.size() > RecordEdits.MAX_EDITS_PER_CALL) {
            throw ReductException.unprocessable("a batch of " + order.size() + " records; the limit is "
                    + RecordEdits.MAX_EDITS_PER_CALL);
        }
        order.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        Map<Integer, Record> previous = new LinkedHashMap<>();
        List<Record> records = new ArrayList<>(order.size());
        for (long[] at : order) {
            int entry = (int) at[1];
            String value = values.get(entry + "-" + at[0]);
            Record record = record(entry, start + at[0], value, previous.get(entry), labelNames);
            previous.put(entry, record);
            records.add(record);
        }
        return new BatchV2(entries, records);
    }

    private static Record record(int entry, long ts, String value, Record previous, List<String> labelNames) {
        String where = "x-reduct-" + entry + "-" + ts;
        int comma = value.indexOf(',');
        String lengthText = (comma < 0 ? value : value.substring(0, comma)).trim();
        if (!lengthText.matches("\\d{1,10}")) {
            throw ReductException.unprocessable("Invalid header '" + where + "': \"" + Buckets.clip(value)
                    + "\" must start with the record's length");
        }
        long length = Long.parseLong(lengthText);
        String contentType = previous == null ? Records.DEFAULT_CONTENT_TYPE : previous.contentType();
        Map<String, String> labels = previous == null ? new LinkedHashMap<>() : new LinkedHashMap<>(previous.labels());
        if (comma >= 0) {
            String rest = value.substring(comma + 1);
            int next = rest.indexOf(',');
            String type = (next < 0 ? rest : rest.substring(0, next)).trim();
            if (!type.isEmpty()) {
                contentType = type;
            }
            if (next >= 0) {
                applyDelta(labels, rest.substring(next + 1), labelNames, where);
            }
        }
        return new Record(entry, ts, length, contentType, labels);
    }

    /** Applies {@code name=value,...} (a value in quotes may hold commas; an empty one removes the label). */
    private static void applyDelta(Map<String, String> labels, String delta, List<String> labelNames, String where) {
        String rest = delta.trim();
        while (!rest.isEmpty()) {
            int equals = rest.indexOf('=');
            if (equals < 0) {
                throw ReductException.unprocessable("Invalid header '" + where + "': label changes \""
                        + Buckets.clip(delta) + "\" must be name=value pairs");
            }
            String name = rest.substring(0, equals).trim();
            if (name.matches("\\d+") && !labelNames.isEmpty()) {
                int index = Integer.parseInt(name);
                if (index >= labelNames.size()) {
                    throw ReductException.unprocessable("Invalid header '" + where + "': label index " + index
                            + " is out of range");
                }
                name = labelNames.get(index);
            }
            name = name.toLowerCase(Locale.ROOT);
            String after = rest.substring(equals + 1);
            String value;
            if (after.startsWith("\"")) {
                int end = after.indexOf('"', 1);
                if (end < 0) {
                    throw ReductException.unprocessable("Invalid header '" + where + "': an unclosed quote");
                }
                value = after.substring(1, end);
                rest = after.substring(end + 1).trim();
                rest = rest.startsWith(",") ? rest.substring(1).trim() : rest;
            } else {
                int next = after.indexOf(',');
                value = (next < 0 ? after : after.substring(0, next)).trim();
                rest = next < 0 ? "" : after.substring(next + 1).trim();
            }
            Records.checkLabel(name, value, where);
            if (value.isEmpty()) {
                labels.remove(name);
            } else {
                labels.put(name, value);
            }
        }
    }

    private static String decode(String encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                try {
                    out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    throw ReductException.unprocessable("Invalid encoding in header value: \"" + Buckets.clip(encoded)
                            + "\"");
                }
                i += 2;
            } else {
                out.write((byte) c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
