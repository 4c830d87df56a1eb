package io.github.edgestream.http.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads public keys from PEM files, for the OCI signing keys of {@link Credential.OciKey}: the
 * {@code -----BEGIN PUBLIC KEY-----} form (X.509 SubjectPublicKeyInfo) that {@code openssl rsa -pubout} writes and
 * the OCI console asks for. Private keys are refused: the daemon only ever needs the public half.
 */
public final class PemKeys {

    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    /** Far above an RSA 16384 key; a larger file is not a public key. */
    private static final long MAX_FILE_SIZE = 64 * 1024;

    private PemKeys() {
    }

    /**
     * The RSA public key of a PEM file.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException naming the file, if it is not a single PEM RSA public key
     */
    public static PublicKey publicKey(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new IllegalArgumentException(file + " has " + size + " bytes; a PEM public key has at most "
                    + MAX_FILE_SIZE);
        }
        return publicKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /**
     * The RSA public key of PEM text.
     *
     * @param source names the text in error messages (a file name)
     * @throws IllegalArgumentException naming {@code source}, if the text is not a single PEM RSA public key
     */
    public static PublicKey publicKey(String pem, String source) {
        if (pem.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException(source + " holds a private key; give the public key"
                    + " (openssl rsa -in key.pem -pubout)");
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(source + " is not a PEM public key (" + BEGIN + " ... " + END + ")");
        }
        if (pem.indexOf(BEGIN, begin + 1) >= 0) {
            throw new IllegalArgumentException(source + " holds more than one public key");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": the PEM body is not base64");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException(source + " is not an RSA public key (SubjectPublicKeyInfo)");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is required of every JDK", e);
        }
    }
}
