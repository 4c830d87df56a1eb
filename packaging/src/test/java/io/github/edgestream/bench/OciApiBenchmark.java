package io.github.edgestream.bench;

import static io.github.edgestream.bench.Bench.deleteTree;
import static io.github.edgestream.bench.Bench.processStats;
import static io.github.edgestream.bench.Bench.seconds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon's OCI Streaming API (issue 14, version 20180418 on the HTTP port) against the daemon's own Greengrass
 * protocol, in one JVM and one run: one in-process {@link Daemon} (File streams, not durable: OCI's default
 * {@code flushOnWrite: false}; HTTP authentication on, with a credentials file holding one OCI key made here), the
 * clients beside it. Every message is 1 KiB of random bytes; every stream, OCI's and Greengrass's, is a File stream of
 * 1 GiB {@code maxSize} with RejectNewData ({@code api.oci.maxSize} for OCI's; the default 256 MiB would cut the
 * faster phases short), 1 partition.
 *
 * <p>Authentication as the OCI SDKs do it: an RSA 2048 key pair generated here, its public key written as PEM and
 * named in the daemon's {@code http.credentialsFile} ({@code ociKeyId}, {@code ociPublicKeyFile}, read/write/admin on
 * every stream); every request signed afresh (a new {@code date}) with SHA256withRSA: PutMessages over
 * {@code date (request-target) host} (the SDKs sign it without its body), GetMessages (no body) the same,
 * CreateStream and CreateCursor also over {@code content-type content-length x-content-sha256}.
 *
 * <ol>
 *   <li>(a) PutMessages of 100 messages (key null, value base64) on C kept-alive HTTP/1.1 connections (default 4,
 *       one thread each, one request at a time each; raw client {@link BenchHttp}), for N seconds or until maxRecords:
 *       messages/s and MiB/s. Each connection builds its request bodies once (from the payload pool) and signs every
 *       request; any answer but 200 with {@code "failures":0} stops the run.</li>
 *   <li>(b) The Greengrass protocol with the same payloads ({@link GreengrassLoad}): appendMessage with 64 requests
 *       in flight on one {@link StreamManagerClient}, for N seconds.</li>
 *   <li>(c) GetMessages of everything (a) wrote: a TRIM_HORIZON partition cursor ({@code POST .../cursors}), then
 *       {@code GET .../messages?cursor=..&limit=100} following {@code opc-next-cursor}, one connection, each request
 *       signed; messages are counted by their {@code "offset":} fields (no JSON parsing, no base64 decoding).</li>
 *   <li>(d) readMessages (max 10,000, one request at a time) of everything (b) wrote.</li>
 *   <li>References: appendBatch (extension) of 100 with C batches in flight (the shape of (a)); readMessages of max
 *       100 (the page of (c)); GetMessages with {@code limit=10000} (the answer is capped at ~1 MiB, ~900 messages);
 *       PutMessages with each connection's signature reused while the {@code date} second is the same (what the
 *       server can take when the client does not pay one RSA signature per request).</li>
 *   <li>(e) RSA 2048 signatures per second on one thread (this JVM, the signing string of a PutMessages; also
 *       verifications per second, the server's side), and the
 *       client threads' time spent signing during (a) and (c), against the process's CPU time over the phase.</li>
 * </ol>
 * Warm-up: two rounds of (a), (c), (b) and (d) for a quarter of a phase each (at least 2 s); {@code sync} before each
 * measured phase ({@code -Dbench.sync=false} skips it).
 *
 * <pre>
 * mvn -o -q -Pbench -pl packaging test-compile exec:exec -Dbench.main=io.github.edgestream.bench.OciApiBenchmark \
 *     -Dbench.args="8"
 * </pre>
 * Arguments: seconds per phase (default 8), connections C (4), maxRecords per write phase (800000). Not thread-safe
 * beyond its own connection threads; a main program.
 */
public final class OciApiBenchmark {

    private static final int PAYLOAD = 1024;
    private static final int BATCH = 100;
    private static final int POOL = 4096;
    /** Request bodies each connection builds and sends in turn. */
    private static final int BODIES = 8;
    private static final long STREAM_SIZE = 1L << 30;
    private static final String COMPARTMENT = "ocid1.compartment.oc1..bench";
    private static final byte[] FAILURES_NONE = "\"failures\":0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = "\"offset\":".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /**
     * {@code -Dbench.auth=false} (diagnosis): the daemon with {@code http.authenticateClient: false} and requests
     * without {@code authorization}, to tell the cost of signing and verifying from the rest.
     */
    private static final boolean AUTH = Boolean.parseBoolean(System.getProperty("bench.auth", "true"));

    private final double seconds;
    private final int connections;
    private final long maxRecords;
    private final byte[][] payloads = Bench.payloads(POOL, PAYLOAD);
    private final String[] values = new String[POOL];
    private int next;

    private OciApiBenchmark(double seconds, int connections, long maxRecords) {
        this.seconds = seconds;
        this.connections = connections;
        this.maxRecords = maxRecords;
        for (int i = 0; i < POOL; i++) {
            values[i] = Base64.getEncoder().encodeToString(payloads[i]);
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        long maxRecords = args.length > 2 ? Long.parseLong(args[2]) : 800_000;
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        new OciApiBenchmark(seconds, connections, maxRecords).run();
    }

    // ------------------------------------------------------------------------------------------ signing

    /** The client's key: its id as OCI spells one (tenancy/user/fingerprint) and its private half. */
    private record Key(String keyId, PrivateKey privateKey, java.security.PublicKey publicKey) {
    }

    /**
     * Signs requests as the OCI SDKs do, for one connection's thread ({@link Signature} is not thread-safe): a fresh
     * {@code date} per request, the signing string's lines {@code name: value} joined by {@code '\n'},
     * {@code (request-target)} the lower-case method and the path and query as sent, SHA256withRSA, base64. Counts
     * the signatures it made and the thread CPU time its heads took (date formatting, hashing and RSA: CPU time, not
     * elapsed, so that a thread descheduled while signing does not count the wait).
     */
    private static final class Signer {
        private final Key key;
        private final String host;
        private final boolean reuseWithinSecond;
        private final Signature rsa;
        private long signatures;
        private long signNanos;
        private String lastDate;
        private String lastTarget;
        private String lastAuthorization;

        /** With {@code reuseWithinSecond}, a signature is reused for the same target while the date is the same. */
        Signer(Key key, String host, boolean reuseWithinSecond) {
            this.key = key;
            this.host = host;
            this.reuseWithinSecond = reuseWithinSecond;
            try {
                this.rsa = Signature.getInstance("SHA256withRSA");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * The head of a request (request line, headers, blank line): {@code host}, {@code date}, for a body
         * {@code content-type} and {@code content-length}, with {@code signBody} {@code x-content-sha256}, and the
         * {@code authorization} signing {@code date (request-target) host} and, with {@code signBody}, the body
         * headers.
         */
        byte[] head(String method, String target, byte[] body, boolean signBody) {
            long start = THREADS.getCurrentThreadCpuTime();
            String date = HTTP_DATE.format(Instant.now());
            StringBuilder head = new StringBuilder(512).append(method).append(' ').append(target)
                    .append(" HTTP/1.1\r\nhost: ").append(host).append("\r\ndate: ").append(date).append("\r\n");
            String authorization;
            if (!AUTH) {
                authorization = null;
            } else if (reuseWithinSecond && !signBody && date.equals(lastDate) && target.equals(lastTarget)) {
                authorization = lastAuthorization;
            } else {
                StringBuilder signing = new StringBuilder(256).append("date: ").append(date)
                        .append("\n(request-target): ").append(method.toLowerCase(Locale.ROOT)).append(' ')
                        .append(target).append("\nhost: ").append(host);
                String headers = "date (request-target) host";
                String hash = null;
                if (signBody) {
                    hash = sha256(body);
                    signing.append("\ncontent-type: application/json\ncontent-length: ").append(body.length)
                            .append("\nx-content-sha256: ").append(hash);
                    headers += " content-type content-length x-content-sha256";
                }
                authorization = "Signature version=\"1\",keyId=\"" + key.keyId() + "\",algorithm=\"rsa-sha256\","
                        + "headers=\"" + headers + "\",signature=\"" + sign(signing.toString()) + "\"";
                if (hash != null) {
                    head.append("x-content-sha256: ").append(hash).append("\r\n");
                }
                lastDate = date;
                lastTarget = target;
                lastAuthorization = authorization;
            }
            if (body != null) {
                head.append("content-type: application/json\r\ncontent-length: ").append(body.length).append("\r\n");
            }
            if (authorization != null) {
                head.append("authorization: ").append(authorization).append("\r\n");
            }
            head.append("\r\n");
            signNanos += THREADS.getCurrentThreadCpuTime() - start;
            return head.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        String sign(String signingString) {
            try {
                rsa.initSign(key.privateKey());
                rsa.update(signingString.getBytes(StandardCharsets.UTF_8));
                signatures++;
                return Base64.getEncoder().encodeToString(rsa.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static String sha256(byte[] body) {
            try {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * An RSA 2048 key pair; its public key as PEM and a credentials file naming it (read, write and admin on every
     * stream of every namespace) under {@code dir}. The key id is OCI's form, with the key's MD5 fingerprint.
     */
    private static Key writeKey(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] der = pair.getPublic().getEncoded();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bench-oci.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n");
        String fingerprint = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("MD5").digest(der));
        String keyId = "ocid1.tenancy.oc1..bench/ocid1.user.oc1..bench/" + fingerprint;
        Files.writeString(dir.resolve("credentials.yaml"), """
                credentials:
                  - name: oci-bench
                    ociKeyId: "%s"
                    ociPublicKeyFile: bench-oci.pem
                    scopes:
                      - namespaces: ["*"]
                        streams: ["*"]
                        permissions: [read, write, admin]
                """.formatted(keyId));
        Files.setPosixFilePermissions(dir.resolve("credentials.yaml"), PosixFilePermissions.fromString("rw-------"));
        return new Key(keyId, pair.getPrivate(), pair.getPublic());
    }

    // ------------------------------------------------------------------------------------------ run

    private byte[] payload() {
        byte[] payload = payloads[next];
        next = (next + 1) % POOL;
        return payload;
    }

    private void run() throws Exception {
        Path root = Files.createTempDirectory("oci-api-bench");
        String token = "bench-token-" + UUID.randomUUID();
        try {
            Key key = writeKey(root.resolve("auth"));
            try (Daemon daemon = Bench.startDaemon(root, token, "  credentialsFile: %s\n".formatted(
                    root.resolve("auth").resolve("credentials.yaml")) + (AUTH ? "" : "  authenticateClient: false\n"),
                    "api:\n  oci:\n    maxSize: " + STREAM_SIZE + "\n");
                    StreamManagerClient gg = Bench.greengrassClient(daemon, token)) {
                phases(daemon, key, gg);
            }
        } finally {
            deleteTree(root);
        }
    }

    private void phases(Daemon daemon, Key key, StreamManagerClient gg) throws Exception {
        int port = daemon.httpPort().orElseThrow();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        String host = "127.0.0.1:" + port;
        System.out.printf("edgestream %s: Greengrass protocol on tcp %d, OCI Streaming API on http %d; phase %.1f s;"
                        + " PutMessages of %d x %d bytes on %d connections; GetMessages limit %d; Greengrass: %d"
                        + " appendMessage in flight; at most %,d records per write phase%n", Daemon.version(),
                daemon.port(), port, seconds, BATCH, PAYLOAD, connections, BATCH, GreengrassLoad.IN_FLIGHT,
                maxRecords);
        if (!AUTH) {
            System.out.println("DIAGNOSIS: HTTP authentication off, OCI requests unsigned (-Dbench.auth=false)");
        }
        var greengrass = new GreengrassLoad(gg, this::payload, maxRecords, DataSize.ofBytes(STREAM_SIZE), false,
                false);
        Oci oci = new Oci(endpoint, host, key, gg);

        double warm = Math.max(2, seconds / 4);
        for (int round = 1; round <= 2; round++) {
            String stream = oci.createStream("warm" + round);
            PutFigures put = putMessages(endpoint, host, key, stream, warm, false);
            ReadFigures get = oci.getMessages(stream, put.throughput().records(), BATCH);
            System.out.printf("warm-up %d: PutMessages %s; GetMessages %s%n", round, put.throughput(),
                    get.throughput());
            greengrass.createStream("warm-gg" + round);
            Throughput ggAppend = greengrass.appendInFlight("warm-gg" + round, warm);
            Throughput ggRead = greengrass.readMessages("warm-gg" + round, 0, ggAppend.records());
            System.out.printf("warm-up %d: appendMessage x%d %s; readMessages %s%n", round, GreengrassLoad.IN_FLIGHT,
                    ggAppend, ggRead);
        }

        // (e) first half: RSA signatures per second on one thread, this JVM, nothing else running
        double signsPerSecond = signsPerSecond(key, host, 2);
        System.out.printf("(e) RSA 2048 SHA256withRSA signatures on one thread: %,.0f /s (%.0f us each)%n",
                signsPerSecond, 1e6 / signsPerSecond);
        double verifies = verifiesPerSecond(key, host, 1);
        System.out.printf("(e) for comparison, verifications (the server's side) on one thread: %,.0f /s (%.0f us"
                + " each)%n", verifies, 1e6 / verifies);

        String putStream = oci.createStream("put");
        Bench.settleDisk();
        long[] before = processStats();
        PutFigures put = putMessages(endpoint, host, key, putStream, seconds, false);
        long putCpu = processStats()[3] - before[3];
        System.out.printf("(a) PutMessages %d x %d, %d connections   %s%n", BATCH, PAYLOAD, connections,
                put.throughput());
        System.out.printf("    signing: %,d signatures, %.2f s CPU on the client threads = %.2f cores; the process used"
                        + " %.2f s CPU in %.2f s (signing %.0f%% of it)%n", put.signatures(), put.signNanos() / 1e9,
                put.signNanos() / 1e9 / put.throughput().seconds(), putCpu / 1e9, put.throughput().seconds(),
                100.0 * put.signNanos() / putCpu);

        greengrass.createStream("gg-append");
        Bench.settleDisk();
        Throughput ggAppend = greengrass.appendInFlight("gg-append", seconds);
        System.out.printf("(b) Greengrass appendMessage x%d in flight   %s%n", GreengrassLoad.IN_FLIGHT, ggAppend);

        Bench.settleDisk();
        before = processStats();
        ReadFigures get = oci.getMessages(putStream, put.throughput().records(), BATCH);
        long getCpu = processStats()[3] - before[3];
        System.out.printf("(c) GetMessages limit %d of (a)             %s%n", BATCH, get.throughput());
        System.out.printf("    %,d GetMessages (%.0f us each); signing: %,d signatures (the cursor's included), %.2f s"
                        + " CPU = %.0f%% of the phase; the process used %.2f s CPU (signing %.0f%% of it)%n",
                get.requests(), get.throughput().seconds() * 1e6 / get.requests(), get.signatures(),
                get.signNanos() / 1e9,
                100.0 * get.signNanos() / 1e9 / get.throughput().seconds(), getCpu / 1e9,
                100.0 * get.signNanos() / getCpu);

        Bench.settleDisk();
        Throughput ggRead = greengrass.readMessages("gg-append", 0, ggAppend.records());
        System.out.printf("(d) Greengrass readMessages max %d of (b)  %s%n", GreengrassLoad.READ_LIMIT, ggRead);

        // references
        greengrass.createStream("gg-batch");
        Bench.settleDisk();
        Throughput ggBatch = greengrass.appendBatchesInFlight("gg-batch", seconds, BATCH, connections);
        System.out.printf("(b') Greengrass appendBatch %d x %d in flight %s%n", connections, BATCH, ggBatch);
        Bench.settleDisk();
        Throughput ggRead100 = greengrass.readMessages("gg-append", 0, ggAppend.records(), BATCH);
        System.out.printf("(d') Greengrass readMessages max %d of (b)    %s%n", BATCH, ggRead100);
        Bench.settleDisk();
        ReadFigures getLarge = oci.getMessages(putStream, put.throughput().records(), 10_000);
        System.out.printf("(c') GetMessages limit 10000 of (a)          %s (%.0f messages a page)%n",
                getLarge.throughput(), (double) getLarge.throughput().records() / getLarge.requests());
        String reuseStream = oci.createStream("put-reuse");
        Bench.settleDisk();
        before = processStats();
        PutFigures putReuse = putMessages(endpoint, host, key, reuseStream, seconds, true);
        long reuseCpu = processStats()[3] - before[3];
        System.out.printf("(a') PutMessages, signature reused within a second %s (%,d signatures; process CPU"
                + " %.2f s)%n", putReuse.throughput(), putReuse.signatures(), reuseCpu / 1e9);

        double signsAfter = signsPerSecond(key, host, 2);
        System.out.printf("(e) RSA signatures on one thread, again after the phases: %,.0f /s%n", signsAfter);

        table(put, ggAppend, get, ggRead, ggBatch, ggRead100, getLarge, putReuse, signsPerSecond, signsAfter,
                putCpu, getCpu);
    }

    /** One thread signing PutMessages' signing string for {@code phaseSeconds}: signatures per second. */
    private static double signsPerSecond(Key key, String host, double phaseSeconds) {
        Signer signer = new Signer(key, host, false);
        String target = "/20180418/streams/ocid1.stream.oc1.us-ashburn-1.abcdefghijklmnop/messages";
        long start = System.nanoTime();
        long deadline = start + (long) (phaseSeconds * 1e9);
        long n = 0;
        while (System.nanoTime() < deadline) {
            signer.sign("date: " + HTTP_DATE.format(Instant.now()) + "\n(request-target): post " + target
                    + "\nhost: " + host);
            n++;
        }
        return n / seconds(start);
    }

    /** One thread verifying one PutMessages signature again and again for {@code phaseSeconds}: per second. */
    private static double verifiesPerSecond(Key key, String host, double phaseSeconds) throws Exception {
        Signer signer = new Signer(key, host, false);
        String signing = "date: " + HTTP_DATE.format(Instant.now()) + "\n(request-target): post /20180418/streams/s"
                + "/messages\nhost: " + host;
        byte[] signature = Base64.getDecoder().decode(signer.sign(signing));
        byte[] bytes = signing.getBytes(StandardCharsets.UTF_8);
        java.security.PublicKey publicKey = key.publicKey();
        long start = System.nanoTime();
        long deadline = start + (long) (phaseSeconds * 1e9);
        long n = 0;
        while (System.nanoTime() < deadline) {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey);
            rsa.update(bytes);
            if (!rsa.verify(signature)) {
                throw new IllegalStateException("the signature does not verify");
            }
            n++;
        }
        return n / seconds(start);
    }

    /** Write phase's figures: messages moved, and the signing its client threads did. */
    private record PutFigures(Throughput throughput, long signatures, long signNanos) {
    }

    /** Read phase's figures: messages read, GetMessages requests, and the signing time (cursor's included). */
    private record ReadFigures(Throughput throughput, long requests, long signatures, long signNanos) {
    }

    /**
     * (a): {@link #connections} threads, each on its own connection sending PutMessages of {@value #BATCH} messages
     * one request at a time, its {@value #BODIES} bodies in turn, until the time is up or the phase's records are
     * reserved; the first failure stops every thread and fails the phase.
     */
    private PutFigures putMessages(URI endpoint, String host, Key key, String streamId, double phaseSeconds,
            boolean reuseSignature) throws Exception {
        String target = "/20180418/streams/" + streamId + "/messages";
        List<byte[][]> bodies = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            byte[][] own = new byte[BODIES][];
            for (int b = 0; b < BODIES; b++) {
                StringBuilder json = new StringBuilder(BATCH * 1400).append("{\"messages\":[");
                for (int i = 0; i < BATCH; i++) {
                    json.append(i == 0 ? "" : ",").append("{\"key\":null,\"value\":\"").append(values[next])
                            .append("\"}");
                    next = (next + 1) % POOL;
                }
                own[b] = json.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
            }
            bodies.add(own);
        }
        var reserved = new AtomicLong();
        var written = new AtomicLong();
        var signatures = new AtomicLong();
        var signNanos = new AtomicLong();
        var failure = new AtomicReference<Throwable>();
        var ready = new CountDownLatch(connections);
        var go = new CountDownLatch(1);
        var done = new CountDownLatch(connections);
        long[] deadline = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            byte[][] own = bodies.get(c);
            Thread thread = new Thread(() -> {
                Signer signer = new Signer(key, host, reuseSignature);
                boolean counted = false;
                try (BenchHttp http = new BenchHttp(endpoint)) {
                    ready.countDown();
                    counted = true;
                    go.await();
                    int b = 0;
                    while (System.nanoTime() < deadline[0] && failure.get() == null
                            && reserved.addAndGet(BATCH) <= maxRecords) {
                        byte[] body = own[b];
                        b = (b + 1) % BODIES;
                        http.exchange(signer.head("POST", target, body, false), body);
                        if (http.status() != 200 || Bench.indexOf(http.body(), http.length(), FAILURES_NONE, 0) < 0) {
                            throw new IllegalStateException("PutMessages answered " + http.status() + " "
                                    + http.bodyText());
                        }
                        written.addAndGet(BATCH);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    signatures.addAndGet(signer.signatures);
                    signNanos.addAndGet(signer.signNanos);
                    if (!counted) {
                        ready.countDown();
                    }
                    done.countDown();
                }
            }, "oci-put-" + c);
            thread.start();
            threads.add(thread);
        }
        ready.await();
        long start = System.nanoTime();
        deadline[0] = start + (long) (phaseSeconds * 1e9);
        go.countDown();
        done.await();
        double elapsed = seconds(start);
        if (failure.get() != null) {
            throw new IllegalStateException(streamId + ": PutMessages failed", failure.get());
        }
        return new PutFigures(new Throughput(written.get(), elapsed, 0), signatures.get(), signNanos.get());
    }

    /** The OCI admin and read calls on one connection of the main thread, each request signed. */
    private final class Oci {
        private final URI endpoint;
        private final Signer signer;
        private final StreamManagerClient gg;

        Oci(URI endpoint, String host, Key key, StreamManagerClient gg) {
            this.endpoint = endpoint;
            this.signer = new Signer(key, host, false);
            this.gg = gg;
        }

        /**
         * CreateStream of 1 partition named {@code name}: its id. Its maxSize is {@code api.oci.maxSize},
         * {@link #STREAM_SIZE}, checked through the Greengrass protocol (an OCI stream of the default pool is the
         * store stream of that name).
         */
        String createStream(String name) throws Exception {
            String id;
            try (BenchHttp http = new BenchHttp(endpoint)) {
                id = post(http, "/20180418/streams", "{\"name\":\"" + name + "\",\"partitions\":1,"
                        + "\"compartmentId\":\"" + COMPARTMENT + "\"}").get("id").asText();
            }
            DataSize size = gg.describeMessageStream(name).get(10, TimeUnit.SECONDS).definition().maxSize();
            if (size.bytes() != STREAM_SIZE) {
                throw new IllegalStateException(name + ": maxSize is " + size + ", not api.oci.maxSize");
            }
            return id;
        }

        private JsonNode post(BenchHttp http, String path, String json) throws Exception {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            http.exchange(signer.head("POST", path, body, true), body);
            if (http.status() != 200) {
                throw new IllegalStateException("POST " + path + " " + json + " answered " + http.status() + " "
                        + http.bodyText());
            }
            return JSON.readTree(http.body(), 0, http.length());
        }

        /**
         * (c): a TRIM_HORIZON cursor of partition 0, then GetMessages with {@code limit} following
         * {@code opc-next-cursor} until {@code expected} messages came back; timed from the cursor's request.
         */
        ReadFigures getMessages(String streamId, long expected, int limit) throws Exception {
            long signaturesBefore = signer.signatures;
            long nanosBefore = signer.signNanos;
            try (BenchHttp http = new BenchHttp(endpoint)) {
                http.capture("opc-next-cursor");
                long start = System.nanoTime();
                String cursor = post(http, "/20180418/streams/" + streamId + "/cursors",
                        "{\"partition\":\"0\",\"type\":\"TRIM_HORIZON\"}").get("value").asText();
                long read = 0;
                long requests = 0;
                int empty = 0;
                String base = "/20180418/streams/" + streamId + "/messages?limit=" + limit + "&cursor=";
                while (read < expected) {
                    String target = base + cursor;
                    http.exchange(signer.head("GET", target, null, false));
                    requests++;
                    if (http.status() != 200 || http.header() == null) {
                        throw new IllegalStateException("GetMessages answered " + http.status() + " "
                                + http.bodyText());
                    }
                    cursor = http.header();
                    int messages = 0;
                    byte[] page = http.body();
                    for (int i = Bench.indexOf(page, http.length(), OFFSET, 0); i >= 0;
                            i = Bench.indexOf(page, http.length(), OFFSET, i + OFFSET.length)) {
                        messages++;
                    }
                    read += messages;
                    if (messages == 0 && ++empty > 100) {
                        throw new IllegalStateException(streamId + ": " + read + " of " + expected
                                + " messages came back");
                    }
                }
                return new ReadFigures(new Throughput(read, seconds(start), 0), requests,
                        signer.signatures - signaturesBefore, signer.signNanos - nanosBefore);
            }
        }
    }

    private void table(PutFigures put, Throughput ggAppend, ReadFigures get, Throughput ggRead, Throughput ggBatch,
            Throughput ggRead100, ReadFigures getLarge, PutFigures putReuse, double signs, double signsAfter,
            long putCpu, long getCpu) {
        Throughput p = put.throughput();
        Throughput g = get.throughput();
        System.out.println();
        System.out.println("| measure | OCI Streaming API | Greengrass protocol | OCI / Greengrass | target |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.printf("| append: PutMessages %d x 1 KiB, %d connections, vs appendMessage x%d in flight, rec/s"
                        + " (MiB/s) | %,.0f (%.1f) | %,.0f (%.1f) | **%.0f%%** | >= 50%% |%n", BATCH, connections,
                GreengrassLoad.IN_FLIGHT, p.perSecond(), p.mibPerSecond(), ggAppend.perSecond(),
                ggAppend.mibPerSecond(), 100 * p.perSecond() / ggAppend.perSecond());
        System.out.printf("| read: GetMessages limit %d vs readMessages max %d, rec/s (MiB/s) | %,.0f (%.1f) |"
                        + " %,.0f (%.1f) | **%.0f%%** | >= 50%% |%n", BATCH, GreengrassLoad.READ_LIMIT,
                g.perSecond(), g.mibPerSecond(), ggRead.perSecond(), ggRead.mibPerSecond(),
                100 * g.perSecond() / ggRead.perSecond());
        System.out.printf("| ref: PutMessages vs appendBatch %d x %d in flight | %,.0f | %,.0f | %.0f%% | |%n",
                connections, BATCH, p.perSecond(), ggBatch.perSecond(), 100 * p.perSecond() / ggBatch.perSecond());
        System.out.printf("| ref: GetMessages limit %d vs readMessages max %d | %,.0f | %,.0f | %.0f%% | |%n", BATCH,
                BATCH, g.perSecond(), ggRead100.perSecond(), 100 * g.perSecond() / ggRead100.perSecond());
        System.out.printf("| ref: GetMessages limit 10000 (~1 MiB pages) vs readMessages max %d | %,.0f | %,.0f |"
                        + " %.0f%% | |%n", GreengrassLoad.READ_LIMIT, getLarge.throughput().perSecond(),
                ggRead.perSecond(), 100 * getLarge.throughput().perSecond() / ggRead.perSecond());
        System.out.printf("| ref: PutMessages, signature reused within its second, vs appendMessage x%d | %,.0f |"
                        + " %,.0f | %.0f%% | |%n", GreengrassLoad.IN_FLIGHT, putReuse.throughput().perSecond(),
                ggAppend.perSecond(), 100 * putReuse.throughput().perSecond() / ggAppend.perSecond());
        System.out.println();
        System.out.printf("| signing | |%n|---|---|%n");
        System.out.printf("| RSA 2048 signatures on one thread, before / after the phases | %,.0f / %,.0f per s"
                + " (%.0f / %.0f us each) |%n", signs, signsAfter, 1e6 / signs, 1e6 / signsAfter);
        System.out.printf("| (a) PutMessages: signatures, client CPU in signing, share of process CPU | %,d, %.2f s"
                        + " in %.2f s (%.2f cores), %.0f%% of %.2f s |%n", put.signatures(), put.signNanos() / 1e9,
                p.seconds(), put.signNanos() / 1e9 / p.seconds(), 100.0 * put.signNanos() / putCpu, putCpu / 1e9);
        System.out.printf("| (c) GetMessages: signatures, client CPU in signing, share of process CPU | %,d, %.2f s"
                        + " in %.2f s (%.0f%% of the phase), %.0f%% of %.2f s |%n", get.signatures(),
                get.signNanos() / 1e9, g.seconds(), 100.0 * get.signNanos() / 1e9 / g.seconds(),
                100.0 * get.signNanos() / getCpu, getCpu / 1e9);
    }
}
