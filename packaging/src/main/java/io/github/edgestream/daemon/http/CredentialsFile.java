package io.github.edgestream.daemon.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.edgestream.http.auth.Credential;
import io.github.edgestream.http.auth.PemKeys;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoped credentials of the HTTP APIs ({@code http.credentialsFile}), in YAML:
 *
 * <pre>
 * credentials:
 *   - name: line-1-producer            # for logs and denials
 *     accessKeyId: AKIALINE1PRODUCER   # SigV4 (Kinesis) clients sign with this pair
 *     secretAccessKey: "..."           # at least 16 characters
 *     token: "..."                     # Bearer clients send this (S2, ReductStore); optional
 *     ociKeyId: "ocid1.tenancy.../ocid1.user.../aa:bb:..."   # OCI-signing clients; optional, with:
 *     ociPublicKeyFile: keys/line-1.pem                      # its RSA public key (PEM; relative to this file)
 *     scopes:
 *       - namespaces: [default]        # globs: * and ?
 *         streams: ["line-1-*"]
 *         permissions: [write]         # read, write, admin (admin includes read and write)
 * </pre>
 *
 * Every problem in the file is reported at once, naming the entry and the field; secrets never appear in messages.
 * A file readable by other users is accepted with a warning.
 */
public final class CredentialsFile {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsFile.class);
    private static final Set<String> ENTRY_FIELDS = Set.of("name", "accessKeyId", "secretAccessKey", "token",
            "ociKeyId", "ociPublicKeyFile", "scopes");
    private static final Set<String> SCOPE_FIELDS = Set.of("namespaces", "streams", "permissions");

    private CredentialsFile() {
    }

    /**
     * @throws IllegalArgumentException naming the file and every problem in it
     */
    public static List<Credential> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the credentials file " + file + ": "
                    + e.getMessage().split("\n", 2)[0], e);
        }
        warnIfShared(file);
        List<String> problems = new ArrayList<>();
        List<Credential> credentials = new ArrayList<>();
        JsonNode entries = root == null ? null : root.get("credentials");
        if (root == null || !root.isObject() || entries == null || !entries.isArray()) {
            throw new IllegalArgumentException(file + ": expected a map with a list \"credentials\"");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("credentials")) {
                problems.add("unknown key \"" + key + "\"");
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = "credentials[" + i + "]";
            if (!entry.isObject()) {
                problems.add(where + " must be a map");
                continue;
            }
            entry.fieldNames().forEachRemaining(key -> {
                if (!ENTRY_FIELDS.contains(key)) {
                    problems.add(where + ": unknown field \"" + key + "\" (known: " + ENTRY_FIELDS + ")");
                }
            });
            try {
                List<Scope> scopes = new ArrayList<>();
                JsonNode scopeList = entry.get("scopes");
                if (scopeList == null || !scopeList.isArray() || scopeList.isEmpty()) {
                    throw new IllegalArgumentException("scopes must be a non-empty list");
                }
                for (int s = 0; s < scopeList.size(); s++) {
                    scopes.add(scope(scopeList.get(s), "scopes[" + s + "]"));
                }
                credentials.add(new Credential(text(entry, "name").orElse(""), text(entry, "accessKeyId"),
                        text(entry, "secretAccessKey"), text(entry, "token"), scopes, ociKey(file, entry)));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        return credentials;
    }

    /** The entry's OCI key: {@code ociKeyId} and the PEM of {@code ociPublicKeyFile} (relative to the file). */
    private static Optional<Credential.OciKey> ociKey(Path file, JsonNode entry) {
        Optional<String> keyId = text(entry, "ociKeyId");
        Optional<String> keyFile = text(entry, "ociPublicKeyFile");
        if (keyId.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("ociKeyId and ociPublicKeyFile go together: give both or neither");
        }
        if (keyId.isEmpty()) {
            return Optional.empty();
        }
        Path pem = file.toAbsolutePath().getParent().resolve(keyFile.get());
        try {
            return Optional.of(new Credential.OciKey(keyId.get(), PemKeys.publicKey(pem)));
        } catch (IOException e) {
            throw new IllegalArgumentException("ociPublicKeyFile " + pem + " cannot be read: " + e.getMessage());
        }
    }

    private static Scope scope(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + " must be a map");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!SCOPE_FIELDS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + key + "\" (known: " + SCOPE_FIELDS
                        + ")");
            }
        });
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String permission : strings(node, "permissions", where)) {
            permissions.add(Permission.parse(permission));
        }
        return new Scope(strings(node, "namespaces", where), strings(node, "streams", where), permissions);
    }

    private static List<String> strings(JsonNode node, String field, String where) {
        JsonNode list = node.get(field);
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(where + "." + field + " must be a non-empty list");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : list) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException(where + "." + field + " must hold strings");
            }
            values.add(value.textValue());
        }
        return values;
    }

    private static Optional<String> text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string (quote it)");
        }
        return Optional.of(value.textValue());
    }

    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("the credentials file {} can be read by other users; chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
