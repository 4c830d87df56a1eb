package io.github.edgestream.http.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens issued at run time by an authorized client (the S2 access-token API, ReductStore's
 * {@code /tokens}), as opposed to the configured {@link Credential}s: each has a public id, its {@link Scope}s (S2's
 * tokens one; ReductStore's one per kind of access, since a token may read some buckets and write others), an
 * optional expiry, the name of the principal that issued it and a few attributes the issuing API wants back.
 *
 * <p>The rules:
 * <ul>
 *   <li>An id is 1 to {@value #MAX_ID_LENGTH} characters from {@code A-Z a-z 0-9 . _ -}, unique among the live
 *       tokens ({@link TokenExistsException} otherwise). At most {@value #MAX_TOKENS} live tokens.</li>
 *   <li>The token itself is {@value #TOKEN_PREFIX} followed by {@value #SECRET_BYTES} bytes of {@link SecureRandom}
 *       in unpadded base64url; {@link #issue} returns it once. Only its SHA-256 is kept, in memory and in the file:
 *       a presented token is hashed to find the candidate, whose hash is compared with
 *       {@link MessageDigest#isEqual}.</li>
 *   <li>A token has 0 to {@value #MAX_SCOPES} scopes and may do what any of them grants; with none it authenticates
 *       but may touch no stream (ReductStore's token without permissions, which may still ask who it is).</li>
 *   <li>Rotating a token ({@link #rotate}) gives it a new secret, issued now, and keeps everything else: the old
 *       secret stops working at once.</li>
 *   <li>An expiry must be in the future when issued. A token whose expiry is not after the clock's now is absent
 *       everywhere (it authenticates nobody, is not listed, cannot be revoked, and its id may be issued again); it
 *       is dropped from the table with the next change.</li>
 *   <li>At most {@value #MAX_ATTRIBUTES} attributes, names 1 to {@value #MAX_ATTRIBUTE_NAME_LENGTH} characters,
 *       values at most {@value #MAX_ATTRIBUTE_VALUE_LENGTH}.</li>
 *   <li>With a file, every change rewrites it durably before it takes effect: a temporary file of mode 0600 next
 *       to it ({@code <file>.tmp}) is written and synced, renamed over the file, and the directory synced. A change
 *       that cannot be written is refused ({@link UncheckedIOException} naming the file) and the table stays as it
 *       was. (Should only the last step, the directory sync, fail, the file may already hold the refused change: an
 *       issued token nobody was given, or a revoked one gone after a restart.) A file that cannot be read back is
 *       refused at start ({@link IllegalArgumentException} naming the file and the problem), never taken for an
 *       empty table.</li>
 * </ul>
 *
 * <p>The file comes in two formats, and this version reads both. Format {@value #FORMAT_SINGLE_SCOPE}, which every
 * token holds one {@code "scope"}:
 * <pre>{@code
 * {"format":1,"tokens":[{"id":"plant-a","sha256":"<64 hex digits>",
 *   "scope":{"namespaces":["s2.plant-a"],"streams":["*"],"permissions":["READ","WRITE"]},
 *   "expiresAt":"2026-06-01T00:00:00Z","issuedAt":"2026-01-01T00:00:00Z","issuer":"daemon",
 *   "attributes":{"auto_prefix_streams":"true"}}]}
 * }</pre>
 * and format {@value #FORMAT}, the same but for {@code "scopes"}, a list of 0 to {@value #MAX_SCOPES} scopes, in place
 * of {@code "scope"} in every token:
 * <pre>{@code
 * {"format":2,"tokens":[{"id":"cam-rw","sha256":"<64 hex digits>",
 *   "scopes":[{"namespaces":["reduct.cam-a"],"streams":["*"],"permissions":["READ"]},
 *             {"namespaces":["reduct.cam-b"],"streams":["*"],"permissions":["WRITE"]}],
 *   "expiresAt":null,"issuedAt":"2026-01-01T00:00:00Z","issuer":"admin","attributes":{}}]}
 * }</pre>
 * A table is written in format {@value #FORMAT_SINGLE_SCOPE} while every token has exactly one scope (so that a
 * daemon of the version before, which reads only that format, still reads it), in format {@value #FORMAT} as soon as
 * one token has none or several. A version reading only format {@value #FORMAT_SINGLE_SCOPE} refuses a format
 * {@value #FORMAT} file at start, naming the format, rather than dropping its tokens.
 *
 * <p>Thread-safe: changes are serialized; lookups read an immutable snapshot without locking.
 */
public final class IssuedTokens {

    /** The most live tokens the table holds. */
    public static final int MAX_TOKENS = 10_000;
    public static final int MAX_ID_LENGTH = 96;
    public static final int MAX_ATTRIBUTES = 16;
    public static final int MAX_ATTRIBUTE_NAME_LENGTH = 64;
    public static final int MAX_ATTRIBUTE_VALUE_LENGTH = 1024;
    /** What every issued token starts with. */
    public static final String TOKEN_PREFIX = "es_";
    /** The newest file format this version reads and writes: each token holds a list of scopes. */
    public static final int FORMAT = 2;
    /** The first file format, which this version still reads, and writes while every token has one scope. */
    public static final int FORMAT_SINGLE_SCOPE = 1;
    /** The most scopes one token has. */
    public static final int MAX_SCOPES = 16;
    /** Random bytes in a token. */
    public static final int SECRET_BYTES = 32;
    /** The prefix of the principal name an issued token authenticates as. */
    public static final String PRINCIPAL_PREFIX = "token:";

    private static final Logger LOG = LoggerFactory.getLogger(IssuedTokens.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID_LENGTH + "}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> ROOT_FIELDS = Set.of("format", "tokens");
    private static final Set<String> TOKEN_FIELDS_SINGLE_SCOPE = Set.of("id", "sha256", "scope", "expiresAt",
            "issuedAt", "issuer", "attributes");
    private static final Set<String> TOKEN_FIELDS = Set.of("id", "sha256", "scopes", "expiresAt", "issuedAt",
            "issuer", "attributes");
    private static final String FORMATS_READ = "this version reads format 1 (one \"scope\" per token) and format 2"
            + " (a list of \"scopes\")";
    private static final Set<String> SCOPE_FIELDS = Set.of("namespaces", "streams", "permissions");

    /**
     * One issued token, without its secret.
     *
     * @param id         the token's public name (1 to {@value #MAX_ID_LENGTH} of {@code A-Z a-z 0-9 . _ -})
     * @param scopes     what the token may do: what any of them grants (0 to {@value #MAX_SCOPES})
     * @param expiresAt  when it stops working, if ever; after {@code issuedAt}
     * @param issuedAt   when it was issued (or last rotated)
     * @param issuer     the name of the principal that issued it
     * @param attributes what the issuing API wants back (at most {@value #MAX_ATTRIBUTES}), sorted by name
     */
    public record Issued(String id, List<Scope> scopes, Optional<Instant> expiresAt, Instant issuedAt, String issuer,
            Map<String, String> attributes) {

        public Issued {
            checkId(id);
            scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(attributes, "attributes");
            String where = "token \"" + id + "\"";
            if (expiresAt.isPresent() && !expiresAt.get().isAfter(issuedAt)) {
                throw new IllegalArgumentException(where + ": expiresAt " + expiresAt.get()
                        + " must be after issuedAt " + issuedAt);
            }
            if (issuer.isBlank()) {
                throw new IllegalArgumentException(where + ": issuer must not be blank");
            }
            if (scopes.size() > MAX_SCOPES) {
                throw new IllegalArgumentException(where + ": scopes has " + scopes.size() + " entries; at most "
                        + MAX_SCOPES + " are allowed");
            }
            if (attributes.size() > MAX_ATTRIBUTES) {
                throw new IllegalArgumentException(where + ": attributes has " + attributes.size()
                        + " entries; at most " + MAX_ATTRIBUTES + " are allowed");
            }
            Map<String, String> sorted = new TreeMap<>();
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                String name = Objects.requireNonNull(attribute.getKey(), "attribute name");
                String value = attribute.getValue();
                if (name.isEmpty() || name.length() > MAX_ATTRIBUTE_NAME_LENGTH) {
                    throw new IllegalArgumentException(where + ": attribute name \"" + shown(name) + "\" has "
                            + name.length() + " characters; it must have 1 to " + MAX_ATTRIBUTE_NAME_LENGTH);
                }
                if (value == null) {
                    throw new IllegalArgumentException(where + ": attribute \"" + name + "\" has no value");
                }
                if (value.length() > MAX_ATTRIBUTE_VALUE_LENGTH) {
                    throw new IllegalArgumentException(where + ": attribute \"" + name + "\" has a value of "
                            + value.length() + " characters; at most " + MAX_ATTRIBUTE_VALUE_LENGTH
                            + " are allowed");
                }
                sorted.put(name, value);
            }
            attributes = Collections.unmodifiableMap(sorted);
        }

        /** A token with one scope (S2's). */
        public Issued(String id, Scope scope, Optional<Instant> expiresAt, Instant issuedAt, String issuer,
                Map<String, String> attributes) {
            this(id, List.of(Objects.requireNonNull(scope, "scope")), expiresAt, issuedAt, issuer, attributes);
        }

        /**
         * The token's only scope, for the APIs that issue tokens with one (S2).
         *
         * @throws IllegalStateException if it has none or several
         */
        public Scope scope() {
            if (scopes.size() != 1) {
                throw new IllegalStateException("token \"" + id + "\" has " + scopes.size()
                        + " scopes, not one; read scopes()");
            }
            return scopes.get(0);
        }

        /** Whether the token no longer works at {@code now}. */
        public boolean expiredAt(Instant now) {
            return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
        }

        /** Who the token authenticates as: {@code token:<id>} with exactly its scopes. */
        public Principal principal() {
            return new Principal(PRINCIPAL_PREFIX + id, scopes);
        }
    }

    private record Entry(Issued issued, byte[] sha256) {
    }

    /** An immutable snapshot: by id (sorted) and by hex SHA-256 of the token. */
    private record Table(Map<String, Entry> byId, Map<String, Entry> byHash) {

        static final Table EMPTY = new Table(Map.of(), Map.of());

        static Table of(Iterable<Entry> entries) {
            Map<String, Entry> byId = new TreeMap<>();
            Map<String, Entry> byHash = new HashMap<>();
            for (Entry entry : entries) {
                byId.put(entry.issued().id(), entry);
                byHash.put(HexFormat.of().formatHex(entry.sha256()), entry);
            }
            return new Table(Collections.unmodifiableMap(byId), Collections.unmodifiableMap(byHash));
        }

        /** The entries that have not expired at {@code now}, sorted by id. */
        List<Entry> live(Instant now) {
            List<Entry> live = new ArrayList<>(byId.size());
            for (Entry entry : byId.values()) {
                if (!entry.issued().expiredAt(now)) {
                    live.add(entry);
                }
            }
            return live;
        }
    }

    private final Optional<Path> file;
    private final Clock clock;
    private volatile Table table;

    /**
     * The table stored in {@code file}, or an empty one if there is no such file yet (it is made with the first
     * change; its directory must exist).
     *
     * @param clock now, for expiry
     * @throws IllegalArgumentException if the file is not a table of this format (the message names the file and
     *                                  the problem)
     * @throws UncheckedIOException     if the file exists but cannot be read
     */
    public IssuedTokens(Path file, Clock clock) {
        this(Optional.of(Objects.requireNonNull(file, "file")), clock, load(file));
    }

    private IssuedTokens(Optional<Path> file, Clock clock, Table table) {
        this.file = file;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.table = table;
    }

    /** An empty table kept only in memory: the tokens are gone when the daemon stops. */
    public static IssuedTokens inMemory(Clock clock) {
        return new IssuedTokens(Optional.empty(), clock, Table.EMPTY);
    }

    /** The file the table is kept in, if any. */
    public Optional<Path> file() {
        return file;
    }

    /**
     * Issues a token and returns it: the only time it is shown.
     *
     * @param expiresAt  when it stops working, if ever; in the future
     * @param issuer     the name of the principal issuing it
     * @param attributes what the API wants back with the token
     * @throws IllegalArgumentException if the id, expiry, issuer or attributes break the rules, or the table
     *                                  already holds {@value #MAX_TOKENS} tokens
     * @throws TokenExistsException     if a live token has this id
     * @throws UncheckedIOException     if the table cannot be written (nothing is issued)
     */
    public String issue(String id, Scope scope, Optional<Instant> expiresAt, String issuer,
            Map<String, String> attributes) {
        return issue(id, List.of(Objects.requireNonNull(scope, "scope")), expiresAt, issuer, attributes);
    }

    /**
     * Issues a token with several scopes (or none) and returns it: the only time it is shown.
     *
     * @param scopes     what the token may do: what any of them grants (0 to {@value #MAX_SCOPES})
     * @param expiresAt  when it stops working, if ever; in the future
     * @param issuer     the name of the principal issuing it
     * @param attributes what the API wants back with the token
     * @throws IllegalArgumentException if the id, scopes, expiry, issuer or attributes break the rules, or the table
     *                                  already holds {@value #MAX_TOKENS} tokens
     * @throws TokenExistsException     if a live token has this id
     * @throws UncheckedIOException     if the table cannot be written (nothing is issued)
     */
    public String issue(String id, List<Scope> scopes, Optional<Instant> expiresAt, String issuer,
            Map<String, String> attributes) {
        checkId(id);
        Objects.requireNonNull(expiresAt, "expiresAt");
        synchronized (this) {
            Instant now = clock.instant();
            if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
                throw new IllegalArgumentException("token \"" + id + "\": expiresAt " + expiresAt.get()
                        + " must be in the future (now is " + now + ")");
            }
            Issued issued = new Issued(id, scopes, expiresAt, now, issuer, attributes);
            Table current = table;
            List<Entry> live = current.live(now);
            Entry existing = current.byId().get(id);
            if (existing != null && !existing.issued().expiredAt(now)) {
                throw new TokenExistsException(id);
            }
            if (live.size() >= MAX_TOKENS) {
                throw new IllegalArgumentException("token \"" + id + "\": " + live.size()
                        + " tokens are issued already, the most allowed (" + MAX_TOKENS + "); revoke some first");
            }
            Secret secret = Secret.unlike(current);
            live.add(new Entry(issued, secret.sha256()));
            change(Table.of(live));
            return secret.token();
        }
    }

    /** A new token and its hash. */
    private record Secret(String token, byte[] sha256) {

        /** A token whose hash no token of the table has. */
        static Secret unlike(Table current) {
            String token;
            byte[] hash;
            do {
                byte[] secret = new byte[SECRET_BYTES];
                RANDOM.nextBytes(secret);
                token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
                hash = IssuedTokens.sha256(token);
            } while (current.byHash().containsKey(HexFormat.of().formatHex(hash)));
            return new Secret(token, hash);
        }
    }

    /** The live token this is, found by its hash and compared in constant time; an expired one is absent. */
    public Optional<Issued> byToken(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        Entry candidate = table.byHash().get(HexFormat.of().formatHex(hash));
        if (candidate == null || !MessageDigest.isEqual(candidate.sha256(), hash)
                || candidate.issued().expiredAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(candidate.issued());
    }

    /** The live tokens, sorted by id. */
    public List<Issued> list() {
        return table.live(clock.instant()).stream().map(Entry::issued).toList();
    }

    /** The live token with this id. */
    public Optional<Issued> get(String id) {
        Entry entry = table.byId().get(Objects.requireNonNull(id, "id"));
        return entry == null || entry.issued().expiredAt(clock.instant()) ? Optional.empty()
                : Optional.of(entry.issued());
    }

    /** How many tokens are live. */
    public int size() {
        return table.live(clock.instant()).size();
    }

    /**
     * Revokes the token with this id: it stops working at once.
     *
     * @return whether a live token had this id
     * @throws UncheckedIOException if the table cannot be written (the token stays)
     */
    public synchronized boolean revoke(String id) {
        Objects.requireNonNull(id, "id");
        Instant now = clock.instant();
        Table current = table;
        Entry entry = current.byId().get(id);
        if (entry == null || entry.issued().expiredAt(now)) {
            return false;
        }
        List<Entry> live = current.live(now);
        live.removeIf(e -> e.issued().id().equals(id));
        change(Table.of(live));
        return true;
    }

    /**
     * Gives the live token with this id a new secret and returns it, the only time it is shown: the old one stops
     * working at once. The token keeps its scopes, expiry, issuer and attributes; its {@code issuedAt} becomes now.
     *
     * @return the new token, or empty if no live token has this id
     * @throws UncheckedIOException if the table cannot be written (the old secret stays)
     */
    public synchronized Optional<String> rotate(String id) {
        Objects.requireNonNull(id, "id");
        Instant now = clock.instant();
        Table current = table;
        Entry entry = current.byId().get(id);
        if (entry == null || entry.issued().expiredAt(now)) {
            return Optional.empty();
        }
        Issued old = entry.issued();
        Issued rotated = new Issued(id, old.scopes(), old.expiresAt(), now, old.issuer(), old.attributes());
        Secret secret = Secret.unlike(current);
        List<Entry> live = current.live(now);
        live.replaceAll(e -> e.issued().id().equals(id) ? new Entry(rotated, secret.sha256()) : e);
        change(Table.of(live));
        return Optional.of(secret.token());
    }

    /** Writes the new table (if there is a file), then makes it current. Called holding the lock. */
    private void change(Table next) {
        if (file.isPresent()) {
            try {
                write(file.get(), serialize(next));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the issued token file " + file.get() + ": " + e, e);
            }
        }
        table = next;
    }

    private static void checkId(String id) {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("token id \"" + shown(id) + "\" (" + id.length() + " characters)"
                    + " must be 1 to " + MAX_ID_LENGTH + " characters from A-Z a-z 0-9 . _ -");
        }
    }

    /** A value for a message, cut if long. */
    private static String shown(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    // ---- the file

    private static byte[] serialize(Table table) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        boolean singleScopes = table.byId().values().stream().allMatch(e -> e.issued().scopes().size() == 1);
        root.put("format", singleScopes ? FORMAT_SINGLE_SCOPE : FORMAT);
        ArrayNode tokens = root.putArray("tokens");
        for (Entry entry : table.byId().values()) {
            Issued issued = entry.issued();
            ObjectNode token = tokens.addObject();
            token.put("id", issued.id());
            token.put("sha256", HexFormat.of().formatHex(entry.sha256()));
            if (singleScopes) {
                writeScope(token.putObject("scope"), issued.scope());
            } else {
                ArrayNode scopes = token.putArray("scopes");
                issued.scopes().forEach(scope -> writeScope(scopes.addObject(), scope));
            }
            if (issued.expiresAt().isPresent()) {
                token.put("expiresAt", issued.expiresAt().get().toString());
            } else {
                token.putNull("expiresAt");
            }
            token.put("issuedAt", issued.issuedAt().toString());
            token.put("issuer", issued.issuer());
            ObjectNode attributes = token.putObject("attributes");
            issued.attributes().forEach(attributes::put);
        }
        byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        byte[] content = new byte[json.length + 1];
        System.arraycopy(json, 0, content, 0, json.length);
        content[json.length] = '\n';
        return content;
    }

    private static void writeScope(ObjectNode node, Scope scope) {
        scope.namespaces().forEach(node.putArray("namespaces")::add);
        scope.streams().forEach(node.putArray("streams")::add);
        ArrayNode permissions = node.putArray("permissions");
        EnumSet.copyOf(scope.permissions()).forEach(p -> permissions.add(p.name()));
    }

    /** Temporary file of mode 0600, synced, renamed over the file, directory synced. */
    private static void write(Path file, byte[] content) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary); // left by a crash: its mode is not ours to trust
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
        FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                OWNER_ONLY)} : new FileAttribute<?>[0];
        try {
            try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), attributes)) {
                if (posix) {
                    Files.setPosixFilePermissions(temporary, OWNER_ONLY); // exactly 0600 whatever the umask
                }
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        FileChannel dir;
        try {
            dir = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException e) {
            // file systems that cannot open a directory as a channel (Windows) cannot sync one either
            LOG.debug("cannot open directory {} to sync it: {}", directory, e.toString());
            return;
        }
        try (dir) {
            dir.force(true);
        }
    }

    private static Table load(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Table.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the issued token file " + file + ": " + e, e);
        }
        return parse(file, content);
    }

    private static Table parse(Path file, byte[] content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw corrupt(file, "it is not JSON (" + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")");
        } catch (IOException e) {
            throw corrupt(file, "it is not JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw corrupt(file, content.length == 0 ? "it is empty" : "it is not a JSON object");
        }
        try {
            checkFields("the file", root, ROOT_FIELDS);
            JsonNode format = root.get("format");
            if (format == null || !format.isInt()
                    || (format.intValue() != FORMAT && format.intValue() != FORMAT_SINGLE_SCOPE)) {
                throw new IllegalArgumentException("format is " + format + "; " + FORMATS_READ);
            }
            boolean singleScopes = format.intValue() == FORMAT_SINGLE_SCOPE;
            JsonNode tokens = root.get("tokens");
            if (tokens == null || !tokens.isArray()) {
                throw new IllegalArgumentException("tokens must be an array");
            }
            if (tokens.size() > MAX_TOKENS) {
                throw new IllegalArgumentException("it holds " + tokens.size() + " tokens; at most "
                        + MAX_TOKENS + " are allowed");
            }
            List<Entry> entries = new ArrayList<>(tokens.size());
            Map<String, Entry> ids = new HashMap<>();
            Map<String, Entry> hashes = new HashMap<>();
            for (int i = 0; i < tokens.size(); i++) {
                String where = "tokens[" + i + "]";
                JsonNode token = tokens.get(i);
                if (!token.isObject()) {
                    throw new IllegalArgumentException(where + " must be an object");
                }
                checkFormat(where, token, singleScopes);
                Entry entry;
                try {
                    String sha256 = text(token, "sha256", where);
                    if (!SHA256_HEX.matcher(sha256).matches()) {
                        throw new IllegalArgumentException(where + ".sha256 \"" + shown(sha256)
                                + "\" must be 64 lowercase hex digits");
                    }
                    List<Scope> parsedScopes = new ArrayList<>();
                    if (singleScopes) {
                        parsedScopes.add(scope(token.get("scope"), where + ".scope"));
                    } else {
                        JsonNode scopes = token.get("scopes");
                        if (scopes == null || !scopes.isArray()) {
                            throw new IllegalArgumentException(where + ".scopes must be an array");
                        }
                        for (int s = 0; s < scopes.size(); s++) {
                            parsedScopes.add(scope(scopes.get(s), where + ".scopes[" + s + "]"));
                        }
                    }
                    JsonNode expires = token.get("expiresAt");
                    Optional<Instant> expiresAt = expires == null || expires.isNull() ? Optional.empty()
                            : Optional.of(instant(token, "expiresAt", where));
                    JsonNode attributes = token.get("attributes");
                    Map<String, String> parsedAttributes = new HashMap<>();
                    if (attributes != null && !attributes.isNull()) {
                        if (!attributes.isObject()) {
                            throw new IllegalArgumentException(where + ".attributes must be an object");
                        }
                        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext();) {
                            Map.Entry<String, JsonNode> attribute = it.next();
                            if (!attribute.getValue().isTextual()) {
                                throw new IllegalArgumentException(where + ".attributes." + attribute.getKey()
                                        + " must be a string");
                            }
                            parsedAttributes.put(attribute.getKey(), attribute.getValue().textValue());
                        }
                    }
                    Issued issued = new Issued(text(token, "id", where), parsedScopes, expiresAt,
                            instant(token, "issuedAt", where), text(token, "issuer", where), parsedAttributes);
                    entry = new Entry(issued, HexFormat.of().parseHex(sha256));
                    if (ids.put(issued.id(), entry) != null) {
                        throw new IllegalArgumentException(where + ": id \"" + issued.id() + "\" appears twice");
                    }
                    if (hashes.put(sha256, entry) != null) {
                        throw new IllegalArgumentException(where + ": token \"" + issued.id()
                                + "\" has the sha256 of another token");
                    }
                } catch (IllegalArgumentException e) {
                    throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": "
                            + e.getMessage(), e);
                }
                entries.add(entry);
            }
            return Table.of(entries);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage(), e);
        }
    }

    /** A token's fields are its format's: {@code "scope"} in format 1, {@code "scopes"} in format 2. */
    private static void checkFormat(String where, JsonNode token, boolean singleScopes) {
        String other = singleScopes ? "scopes" : "scope";
        if (token.has(other)) {
            throw new IllegalArgumentException(where + " has \"" + other + "\" in a format "
                    + (singleScopes ? FORMAT_SINGLE_SCOPE : FORMAT) + " file; " + FORMATS_READ);
        }
        checkFields(where, token, singleScopes ? TOKEN_FIELDS_SINGLE_SCOPE : TOKEN_FIELDS);
    }

    private static Scope scope(JsonNode scope, String where) {
        if (scope == null || !scope.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        checkFields(where, scope, SCOPE_FIELDS);
        try {
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            for (String permission : texts(scope, "permissions", where)) {
                permissions.add(Permission.parse(permission));
            }
            return new Scope(texts(scope, "namespaces", where), texts(scope, "streams", where), permissions);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static void checkFields(String where, JsonNode node, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + " has unknown field \"" + shown(name) + "\"; known are "
                        + new TreeSet<>(known));
            }
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + " must be a string");
        }
        return value.textValue();
    }

    private static List<String> texts(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException(where + "." + field + " must be an array of strings");
        }
        List<String> texts = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException(where + "." + field + " must be an array of strings");
            }
            texts.add(element.textValue());
        }
        return texts;
    }

    private static Instant instant(JsonNode node, String field, String where) {
        String text = text(node, field, where);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "." + field + " \"" + shown(text)
                    + "\" is not an ISO-8601 instant (2026-01-01T00:00:00Z)");
        }
    }

    private static IllegalArgumentException corrupt(Path file, String problem) {
        return corrupt(file, problem, null);
    }

    private static IllegalArgumentException corrupt(Path file, String problem, Throwable cause) {
        return new IllegalArgumentException("the issued token file " + file + " cannot be read: " + problem, cause);
    }
}
