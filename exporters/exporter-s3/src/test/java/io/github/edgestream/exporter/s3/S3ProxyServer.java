package io.github.edgestream.exporter.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API on 127.0.0.1 for tests: S3Proxy 4.1.0 in process, objects in a temporary directory (so large objects
 * stay off the heap), SigV4 checked against {@link #IDENTITY} / {@link #CREDENTIAL}, unknown headers ignored (the
 * SDK sends some S3Proxy does not know). Shipped in this module's test-jar for the daemon's end-to-end tests, whose
 * AWS credentials must be the same pair.
 *
 * <p>Thread-safe after {@link #start()}; {@link #close()} stops the server and deletes the objects.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String IDENTITY = "edgestream-test";
    public static final String CREDENTIAL = "edgestream-test-secret";

    private final S3Proxy proxy;
    private final Path directory;
    private final URI endpoint;
    private final S3Client client;

    private S3ProxyServer(S3Proxy proxy, Path directory) {
        this.proxy = proxy;
        this.directory = directory;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Starts S3Proxy on an ephemeral loopback port. */
    public static S3ProxyServer start() {
        try {
            Path directory = Files.createTempDirectory("s3proxy");
            var properties = new Properties();
            properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
            properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            properties.setProperty("s3proxy.identity", IDENTITY);
            properties.setProperty("s3proxy.credential", CREDENTIAL);
            properties.setProperty("s3proxy.ignore-unknown-headers", "true");
            properties.setProperty("jclouds.provider", "filesystem-nio2");
            properties.setProperty("jclouds.identity", IDENTITY);
            properties.setProperty("jclouds.credential", CREDENTIAL);
            properties.setProperty("jclouds.filesystem.basedir", directory.toString());
            S3Proxy proxy = S3Proxy.Builder.fromProperties(properties)
                    .blobStore(BlobStores.create("filesystem-nio2", properties))
                    .build();
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.onSpinWait();
            }
            return new S3ProxyServer(proxy, directory);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy: " + e, e);
        }
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of this server: path style, us-east-1, its credentials, URL-connection HTTP. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String name) {
        client.createBucket(r -> r.bucket(name));
    }

    @Override
    public void close() {
        client.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy", e);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
