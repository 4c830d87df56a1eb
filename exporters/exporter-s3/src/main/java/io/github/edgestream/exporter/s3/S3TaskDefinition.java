package io.github.edgestream.exporter.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One upload task: the JSON {@code S3ExportTaskDefinition} a program appends (protocol section 7.7), parsed the way
 * the three SDKs write it (section 15: any whitespace, optional keys missing, unknown keys ignored) and checked
 * against the protocol's rules, so that a bad task fails with a reason naming the field, the value and the rule.
 *
 * <pre>
 * {"inputUrl":"file:/data/line3/a.csv","bucket":"plant-data","key":"line3/!{timestamp:yyyy/MM/dd}/a.csv",
 *  "userMetadata":{"line":"3"}}
 *   → inputUrl file:/data/line3/a.csv, file /data/line3/a.csv, bucket plant-data,
 *     key line3/!{timestamp:yyyy/MM/dd}/a.csv (resolved at upload time), metadata {line=3}
 * </pre>
 *
 * @param inputUrl     as written
 * @param file         the local file it names
 * @param bucket       the bucket
 * @param key          the key, placeholders unresolved
 * @param userMetadata user metadata, keys without {@code x-amz-meta-}
 */
record S3TaskDefinition(String inputUrl, Path file, String bucket, String key, Map<String, String> userMetadata) {

    /** The protocol's bucket rule (section 7.7). */
    static final Pattern BUCKET = Pattern.compile("(?=^.{3,63}$)(?!^(\\d+\\.)+\\d+$)"
            + "(^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])$)");
    /** The protocol's key rule (section 7.7): no {@code \ { } space % ` [ ] " ' > < ~ # ^ ? |}, except placeholders. */
    static final Pattern KEY = Pattern.compile("^([^\\\\{ }%`\\[\\]\"'><~#^?|]|!\\{[a-zA-Z]+:[a-zA-Z/]+})*$");
    static final int MAX_KEY_LENGTH = 1024;
    static final String RESERVED_METADATA_PREFIX = "$aws-gg-";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown for a task that can never be run as it is; the message names the field, the value and the rule. */
    static final class InvalidTaskException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTaskException(String message) {
            super(message);
        }
    }

    static S3TaskDefinition parse(byte[] payload) throws InvalidTaskException {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidTaskException("the task is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidTaskException("the task is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidTaskException("the task must be a JSON object (an S3ExportTaskDefinition), got "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        String inputUrl = text(root, "inputUrl");
        String bucket = text(root, "bucket");
        String key = text(root, "key");
        Path file = file(inputUrl);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new InvalidTaskException("bucket is \"" + bucket + "\" but must be a valid S3 bucket name:"
                    + " 3 to 63 characters of a-z 0-9 . -, starting and ending with a letter or digit, not an IP");
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new InvalidTaskException("key is " + key.length() + " characters but must be 1 to "
                    + MAX_KEY_LENGTH);
        }
        if (!KEY.matcher(key).matches()) {
            throw new InvalidTaskException("key is \"" + key + "\" but must not contain \\ { } % ` [ ] \" ' > < ~ #"
                    + " ^ ? | or spaces, except in placeholders like !{timestamp:yyyy/MM/dd}");
        }
        return new S3TaskDefinition(inputUrl, file, bucket, key, metadata(root.get("userMetadata")));
    }

    private static String text(JsonNode root, String field) throws InvalidTaskException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidTaskException(field + " is missing but is required");
        }
        if (!value.isTextual()) {
            throw new InvalidTaskException(field + " is " + value + " but must be a string");
        }
        return value.asText();
    }

    private static Path file(String inputUrl) throws InvalidTaskException {
        URI uri;
        try {
            uri = new URI(inputUrl);
        } catch (URISyntaxException e) {
            throw new InvalidTaskException("inputUrl is \"" + inputUrl + "\" but must be a file: URL ("
                    + e.getReason() + ")");
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("file")) {
            throw new InvalidTaskException("inputUrl is \"" + inputUrl + "\" but must be a file: URL naming a local"
                    + " file, like file:/var/data/a.csv; other schemes are not supported");
        }
        try {
            return Path.of(uri);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new InvalidTaskException("inputUrl is \"" + inputUrl + "\" but must be an absolute file: URL, like"
                    + " file:/var/data/a.csv (" + e.getMessage() + ")");
        }
    }

    private static Map<String, String> metadata(JsonNode node) throws InvalidTaskException {
        var metadata = new LinkedHashMap<String, String>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new InvalidTaskException("userMetadata is " + node + " but must be an object of strings");
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (field.getKey().startsWith(RESERVED_METADATA_PREFIX)) {
                throw new InvalidTaskException("userMetadata key \"" + field.getKey() + "\" starts with \""
                        + RESERVED_METADATA_PREFIX + "\", which is reserved");
            }
            if (!field.getValue().isTextual()) {
                throw new InvalidTaskException("userMetadata." + field.getKey() + " is " + field.getValue()
                        + " but must be a string");
            }
            metadata.put(field.getKey(), field.getValue().asText());
        }
        return metadata;
    }
}
