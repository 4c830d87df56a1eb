package io.github.edgestream.api.kinesis;

/**
 * Kinesis sequence numbers for edgestream records: fixed-width decimal strings, so that they compare correctly both
 * as big integers (what KCL-style checkpointers do) and as strings of equal length (what everyone else does).
 *
 * <pre>
 *   4 SSS NNNNNNNNNNNNNNNNNNNN      24 digits
 *   │ │   └─ the record's sequence number in its shard, zero-padded to 20 digits (fits any long)
 *   │ └───── the shard's index, 000 to 255
 *   └─────── a leading non-zero digit: no leading zeros, as the Kinesis API's pattern 0|([1-9]\d{0,128}) wants
 * </pre>
 *
 * Worked example: record 42 of shard 1 is {@code 400100000000000000000042}. Within a shard the order of the strings
 * is the order of the records; across shards there is no order (as on AWS).
 */
final class SequenceNumbers {

    static final int LENGTH = 24;
    private static final String PREFIX = "4";

    private SequenceNumbers() {
    }

    static String format(int shard, long sequence) {
        if (shard < 0 || shard > 999 || sequence < 0) {
            throw new IllegalArgumentException("shard " + shard + ", sequence " + sequence);
        }
        StringBuilder text = new StringBuilder(LENGTH).append(PREFIX);
        String s = Integer.toString(shard);
        text.append("000", 0, 3 - s.length()).append(s);
        String n = Long.toString(sequence);
        for (int i = n.length(); i < 20; i++) {
            text.append('0');
        }
        return text.append(n).toString();
    }

    /** A parsed sequence number. */
    record Parsed(int shard, long sequence) {
    }

    /**
     * @param field the request field, for the error
     * @throws KinesisException InvalidArgumentException if the text is not a sequence number edgestream issued
     */
    static Parsed parse(String field, String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX) || !allDigits(text)) {
            throw KinesisException.invalid(field + " \"" + abbreviate(text) + "\" is not a sequence number of this"
                    + " stream: edgestream's are " + LENGTH + " digits starting with " + PREFIX);
        }
        int shard = Integer.parseInt(text.substring(1, 4));
        String sequence = text.substring(4);
        try {
            return new Parsed(shard, Long.parseLong(sequence));
        } catch (NumberFormatException e) {
            throw KinesisException.invalid(field + " \"" + text + "\" is out of range");
        }
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "(absent)";
        }
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
