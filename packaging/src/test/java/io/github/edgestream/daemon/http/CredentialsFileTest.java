package io.github.edgestream.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.http.auth.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credentials file's entries, OCI keys included, and its refusals naming entry and field. */
class CredentialsFileTest {

    @TempDir
    Path root;

    private Path pem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded());
        Files.createDirectories(root.resolve("keys"));
        return Files.writeString(root.resolve("keys/line-1.pem"), "-----BEGIN PUBLIC KEY-----\n" + body
                + "\n-----END PUBLIC KEY-----\n");
    }

    @Test
    void readsTokensAndOciKeysRelativeToTheFile() throws Exception {
        pem();
        Path file = Files.writeString(root.resolve("credentials.yaml"), """
                credentials:
                  - name: oci-producer
                    ociKeyId: "ocid1.tenancy.oc1..aaa/ocid1.user.oc1..bbb/12:34:56"
                    ociPublicKeyFile: keys/line-1.pem
                    scopes:
                      - namespaces: [default]
                        streams: ["line-1-*"]
                        permissions: [write]
                  - name: reader
                    token: "reader-token-0123456789"
                    scopes:
                      - namespaces: ["s2.*"]
                        streams: ["*"]
                        permissions: [read]
                """);

        List<Credential> credentials = CredentialsFile.read(file);

        assertThat(credentials).hasSize(2);
        assertThat(credentials.get(0).ociKey()).hasValueSatisfying(key -> {
            assertThat(key.keyId()).isEqualTo("ocid1.tenancy.oc1..aaa/ocid1.user.oc1..bbb/12:34:56");
            assertThat(key.publicKey().getAlgorithm()).isEqualTo("RSA");
        });
        assertThat(credentials.get(1).ociKey()).isEmpty();
        assertThat(credentials.get(1).token()).hasValue("reader-token-0123456789");
    }

    @Test
    void anOciKeyNeedsBothFieldsAndAReadableKey() throws Exception {
        Path half = Files.writeString(root.resolve("half.yaml"), """
                credentials:
                  - name: half
                    ociKeyId: "tenancy/user/fp"
                    scopes: [{namespaces: [default], streams: ["*"], permissions: [read]}]
                """);
        assertThatThrownBy(() -> CredentialsFile.read(half)).hasMessageContaining("credentials[0]")
                .hasMessageContaining("ociKeyId and ociPublicKeyFile go together");

        Path missing = Files.writeString(root.resolve("missing.yaml"), """
                credentials:
                  - name: missing
                    ociKeyId: "tenancy/user/fp"
                    ociPublicKeyFile: keys/nowhere.pem
                    scopes: [{namespaces: [default], streams: ["*"], permissions: [read]}]
                """);
        assertThatThrownBy(() -> CredentialsFile.read(missing)).hasMessageContaining("credentials[0]")
                .hasMessageContaining("nowhere.pem");

        Files.createDirectories(root.resolve("keys"));
        Files.writeString(root.resolve("keys/not-a-key.pem"), "hello");
        Path garbage = Files.writeString(root.resolve("garbage.yaml"), """
                credentials:
                  - name: garbage
                    ociKeyId: "tenancy/user/fp"
                    ociPublicKeyFile: keys/not-a-key.pem
                    scopes: [{namespaces: [default], streams: ["*"], permissions: [read]}]
                """);
        assertThatThrownBy(() -> CredentialsFile.read(garbage)).hasMessageContaining("credentials[0]")
                .hasMessageContaining("not-a-key.pem");
    }
}
