package io.github.edgestream.api.reductstore;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.RecordLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A ReductStore record as the store keeps it: its timestamp (µs) is the record's timestamp, its body the payload,
 * its content type a header named {@value #CONTENT_TYPE} (a name no label can have), each label a header named by
 * the label. Labels are checked here: names of {@code A-Z a-z 0-9 _ -} (HTTP carries them in header names, which
 * clients lower-case), values of printable ASCII and spaces (they travel in header values), at most
 * {@value #MAX_LABELS} of them.
 */
final class Records {

    static final String CONTENT_TYPE = "$content-type";
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_VALUE = 1024;
    static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Printable ASCII but the double quote (batch headers quote values that hold commas). */
    static final Pattern LABEL_VALUE = Pattern.compile("[\\x20\\x21\\x23-\\x7e]*");

    private Records() {
    }

    /** A record to append. */
    static AppendRecord record(long timestampMicros, String contentType, Map<String, String> labels, byte[] body) {
        checkTimestamp(timestampMicros);
        List<Header> headers = new ArrayList<>(labels.size() + 1);
        headers.add(Header.of(CONTENT_TYPE, contentType));
        labels.forEach((name, value) -> {
            if (!value.isEmpty()) {
                headers.add(Header.of(name, value)); // an empty value is no label (a PATCH with one removes it)
            }
        });
        return AppendRecord.of(body).withTimestampMicros(timestampMicros).withHeaders(headers);
    }

    static void checkTimestamp(long micros) {
        if (micros < 0 || micros > RecordLimits.MAX_TIMESTAMP_MICROS) {
            throw ReductException.unprocessable("timestamp " + micros + " is out of range 0.."
                    + RecordLimits.MAX_TIMESTAMP_MICROS + " (microseconds since the epoch)");
        }
    }

    /** Checks one label; {@code where} names it in the error. By hand: it runs for every label of every record. */
    static void checkLabel(String name, String value, String where) {
        if (!isLabelName(name)) {
            throw ReductException.unprocessable(where + ": label name \"" + Buckets.clip(name) + "\" must be 1 to 128"
                    + " of A-Z a-z 0-9 _ -");
        }
        if (value.length() > MAX_LABEL_VALUE || !isLabelValue(value)) {
            throw ReductException.unprocessable(where + ": the value of label \"" + name + "\" must be at most "
                    + MAX_LABEL_VALUE + " printable ASCII characters, without double quotes");
        }
    }

    /** {@link #LABEL_NAME}, without a regex. */
    static boolean isLabelName(String name) {
        if (name.isEmpty() || name.length() > 128) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@link #LABEL_VALUE}, without a regex. */
    static boolean isLabelValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"') {
                return false;
            }
        }
        return true;
    }

    static String contentType(Message message) {
        for (Header header : message.headers()) {
            if (header.nameText().equals(CONTENT_TYPE)) {
                return header.valueText();
            }
        }
        return DEFAULT_CONTENT_TYPE;
    }

    /** The record's labels, in the order they were written. */
    static Map<String, String> labels(Message message) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Header header : message.headers()) {
            String name = header.nameText();
            if (!name.equals(CONTENT_TYPE)) {
                labels.put(name, header.valueText());
            }
        }
        return labels;
    }
}
