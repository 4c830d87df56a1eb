package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A ReductStore token's permissions, {@code {"full_access": bool, "read": [buckets], "write": [buckets]}}, and their
 * translation to and from the HTTP layer's {@link Scope}s (bucket {@code b} is namespace {@code reduct.b}; its entries
 * are the namespace's streams).
 *
 * <p>To scopes, as ReductStore's policies read the permissions (write does not imply read; an entry is a bucket name,
 * or a name prefix ending in {@code *}, or {@code *} alone): full access is {@link Scope#EVERYTHING}, admin over every
 * namespace and stream (ReductStore's full access manages tokens and every bucket, so nothing less would do; only a
 * caller that already has it may grant it); the read list is one scope granting read on those buckets' entries, the
 * write list one granting write. A system bucket ({@code $...}) is refused: edgestream has none.
 *
 * <p>From scopes (for tokens and configured credentials alike): full access if a scope grants admin over every
 * namespace and stream; otherwise each scope contributes its ReductStore namespaces as bucket names to read (if it
 * grants read or admin) and to write (if it grants write or admin). A scope limited to some streams still
 * contributes its buckets: ReductStore's permissions are per bucket, so they show where the credential may act on at
 * least some entries. Namespace globs ReductStore cannot express (a {@code ?}, a {@code *} not at the end) and
 * namespaces of other APIs are left out.
 */
record TokenPermissions(boolean fullAccess, List<String> read, List<String> write) {

    /** The most entries in each of read and write. */
    static final int MAX_BUCKETS = 256;

    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9_-]{1,64}|[A-Za-z0-9_-]{0,63}\\*");

    TokenPermissions {
        read = List.copyOf(read);
        write = List.copyOf(write);
    }

    /**
     * The {@code permissions} object of a create request.
     *
     * @throws ReductException 422 naming the field and the value if it is not an object of a boolean and two lists of
     *                         bucket names
     */
    static TokenPermissions parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ReductException.unprocessable("permissions is " + describe(node) + " but must be an object"
                    + " {\"full_access\": bool, \"read\": [bucket names], \"write\": [bucket names]}");
        }
        JsonNode full = node.get("full_access");
        if (full != null && !full.isNull() && !full.isBoolean()) {
            throw ReductException.unprocessable("permissions.full_access is " + describe(full)
                    + " but must be true or false");
        }
        return new TokenPermissions(full != null && full.asBoolean(false), buckets(node, "read"),
                buckets(node, "write"));
    }

    private static List<String> buckets(JsonNode permissions, String field) {
        JsonNode list = permissions.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        String where = "permissions." + field;
        if (!list.isArray()) {
            throw ReductException.unprocessable(where + " is " + describe(list) + " but must be a list of bucket"
                    + " names");
        }
        if (list.size() > MAX_BUCKETS) {
            throw ReductException.unprocessable(where + " has " + list.size() + " buckets; at most " + MAX_BUCKETS
                    + " are allowed");
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (!entry.isTextual() || !ENTRY.matcher(entry.textValue()).matches()) {
                throw ReductException.unprocessable(where + "[" + i + "] is " + describe(entry) + " but must be a"
                        + " bucket name (1 to 64 of A-Z a-z 0-9 _ -), a prefix of one ending in *, or * alone");
            }
            names.add(entry.textValue());
        }
        return new ArrayList<>(names);
    }

    /** What a token with these permissions may do: what any of the scopes grants (none: nothing). */
    List<Scope> scopes() {
        List<Scope> scopes = new ArrayList<>(3);
        if (fullAccess) {
            scopes.add(Scope.EVERYTHING);
        }
        if (!read.isEmpty()) {
            scopes.add(new Scope(namespaces(read), List.of("*"), EnumSet.of(Permission.READ)));
        }
        if (!write.isEmpty()) {
            scopes.add(new Scope(namespaces(write), List.of("*"), EnumSet.of(Permission.WRITE)));
        }
        return scopes;
    }

    private static List<String> namespaces(List<String> buckets) {
        return buckets.stream().map(b -> Buckets.PREFIX + b).toList();
    }

    /** The permissions that show what these scopes allow in ReductStore's terms. */
    static TokenPermissions of(List<Scope> scopes) {
        boolean full = scopes.stream().anyMatch(TokenPermissions::isEverything);
        Set<String> read = new LinkedHashSet<>();
        Set<String> write = new LinkedHashSet<>();
        for (Scope scope : scopes) {
            if (isEverything(scope)) {
                continue;
            }
            boolean reads = scope.permissions().stream().anyMatch(p -> p.grants(Permission.READ));
            boolean writes = scope.permissions().stream().anyMatch(p -> p.grants(Permission.WRITE));
            for (String glob : scope.namespaces()) {
                Optional<String> bucket = bucketOf(glob);
                if (bucket.isPresent() && reads) {
                    read.add(bucket.get());
                }
                if (bucket.isPresent() && writes) {
                    write.add(bucket.get());
                }
            }
        }
        return new TokenPermissions(full, new ArrayList<>(read), new ArrayList<>(write));
    }

    /** Whether the scopes grant admin over every namespace and stream: ReductStore's full access. */
    static boolean fullAccess(List<Scope> scopes) {
        return scopes.stream().anyMatch(TokenPermissions::isEverything);
    }

    private static boolean isEverything(Scope scope) {
        return scope.namespaces().contains("*") && scope.streams().contains("*")
                && scope.permissions().contains(Permission.ADMIN);
    }

    /** A namespace glob as a ReductStore permission entry, if it can be one. */
    static Optional<String> bucketOf(String glob) {
        if (glob.endsWith("*") && Buckets.PREFIX.startsWith(glob.substring(0, glob.length() - 1))) {
            return Optional.of("*"); // "*", "reduct*", "reduct.*": every bucket
        }
        if (!glob.startsWith(Buckets.PREFIX)) {
            return Optional.empty();
        }
        String entry = glob.substring(Buckets.PREFIX.length());
        return ENTRY.matcher(entry).matches() ? Optional.of(entry) : Optional.empty();
    }

    /** As ReductStore writes it. */
    void write(JsonGenerator out) throws IOException {
        out.writeObjectFieldStart("permissions");
        out.writeBooleanField("full_access", fullAccess);
        out.writeArrayFieldStart("read");
        for (String bucket : read) {
            out.writeString(bucket);
        }
        out.writeEndArray();
        out.writeArrayFieldStart("write");
        for (String bucket : write) {
            out.writeString(bucket);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** A JSON value for a message: its kind, and the value itself if short. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() <= 64 ? text : text.substring(0, 64) + "...");
    }
}
