package io.github.edgestream.api.oci;

import io.github.edgestream.core.fixture.RealStore;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpServer;
import io.github.edgestream.http.HttpSettings;
import io.github.edgestream.http.auth.Credential;
import io.github.edgestream.http.auth.CredentialAuthenticator;
import io.github.edgestream.http.auth.IssuedTokens;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real store (file streams in a temporary directory), service and HTTP server with the OCI Streaming API on a
 * loopback port, authenticated by OCI signatures with three RSA key pairs made here: {@link #admin} may do
 * everything, {@link #reader} may only read streams named {@code sensor-*}, {@link #stranger} is not registered.
 * The store, the signatures and the groups run on the real clock (the SDK dates its requests); the API's own clock
 * (cursors' issue times) is the real one plus {@link #advanceApiClock}, so that a test can make cursors expire.
 */
final class OciFixture implements AutoCloseable {

    /** A key pair: its keyId ({@code tenancy/user/fingerprint}) and the PKCS#8 PEM file of its private key. */
    record Key(String keyId, KeyPair pair, Path pem) {
    }

    private final RealStore real;
    private final AtomicLong apiOffsetMillis = new AtomicLong();
    final StreamStore store;
    final StreamService service;
    final HttpServer server;
    final Key admin;
    final Key reader;
    final Key stranger;

    OciFixture(Path root, Path keys) throws IOException {
        Clock clock = Clock.systemUTC();
        real = new RealStore(root);
        store = real.store;
        service = real.service;
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        Clock apiClock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.now().plusMillis(apiOffsetMillis.get());
            }
        };
        IssuedTokens tokens = IssuedTokens.inMemory(clock);
        var api = new OciApiProvider().create(new HttpApiContext(service, apiClock, Map.of(), secret, tokens));
        Files.createDirectories(keys);
        admin = key(keys, "admin");
        reader = key(keys, "reader");
        stranger = key(keys, "stranger");
        List<Credential> credentials = List.of(
                new Credential("admin", Optional.empty(), Optional.empty(), Optional.empty(),
                        List.of(Scope.EVERYTHING), Optional.of(new Credential.OciKey(admin.keyId(),
                                admin.pair().getPublic()))),
                new Credential("sensor-reader", Optional.empty(), Optional.empty(), Optional.empty(),
                        List.of(new Scope(List.of("*"), List.of("sensor-*"), EnumSet.of(Permission.READ))),
                        Optional.of(new Credential.OciKey(reader.keyId(), reader.pair().getPublic()))));
        var authenticator = new CredentialAuthenticator(credentials, Optional.empty(), clock, tokens);
        server = new HttpServer(HttpSettings.loopbackForTests(), List.of(api), authenticator);
        server.start();
    }

    private static Key key(Path dir, String user) throws IOException {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        Path pem = dir.resolve(user + ".pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        String keyId = "ocid1.tenancy.oc1..edgestreamtest/ocid1.user.oc1.." + user + "/"
                + Integer.toHexString(user.hashCode()) + ":00:11";
        return new Key(keyId, pair, pem);
    }

    /** Moves the API's clock (cursor issue and expiry times) forward. */
    void advanceApiClock(Duration by) {
        apiOffsetMillis.addAndGet(by.toMillis());
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** The keys file oci.js reads. */
    String keysJson() {
        return "{" + entry("admin", admin) + "," + entry("reader", reader) + "," + entry("stranger", stranger) + "}";
    }

    private static String entry(String name, Key key) {
        return "\"" + name + "\":{\"keyId\":\"" + key.keyId() + "\",\"pem\":\"" + key.pem().toAbsolutePath() + "\"}";
    }

    @Override
    public void close() throws Exception {
        server.close();
        real.close();
    }
}
