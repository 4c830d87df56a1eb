package io.github.edgestream.api.oci;

import io.github.edgestream.core.model.Namespace;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The OCIDs this API hands out, and the store's names behind them.
 *
 * <ul>
 * <li>A <b>stream pool</b> is a namespace {@code oci.<unique>}, its OCID
 *     {@code ocid1.streampool.oc1.<region>.<unique>} ({@code <unique>}: 26 random base32 characters, made at
 *     creation). The <b>default pool</b> is the store's default namespace, OCID
 *     {@code ocid1.streampool.oc1.<region>.default}: the streams of the Greengrass and Kinesis APIs are in it.
 * <li>A <b>stream</b>'s OCID is {@code ocid1.stream.oc1.<region>.<base32 of "<namespace>/<name>">}: derived from
 *     where it lives, so it is stable across restarts and needs no table, and the same for a stream created by
 *     another API. A stream deleted and created again under the same name gets the same OCID (OCI would give a new
 *     one); cursors of its earlier life are refused all the same (they carry its creation time).
 * </ul>
 *
 * OCIDs of any region are accepted: only the unique part is read.
 */
final class OciIds {

    static final String POOL_PREFIX = "oci.";
    static final String DEFAULT_POOL = "default";
    static final Pattern COMPARTMENT =
            Pattern.compile("ocid1\\.(compartment|tenancy)\\.[a-z0-9]+\\.[a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern STREAM =
            Pattern.compile("ocid1\\.stream\\.[a-z0-9]+\\.[a-z0-9-]*\\.([a-z2-7]{1,2000})");
    private static final Pattern POOL =
            Pattern.compile("ocid1\\.streampool\\.[a-z0-9]+\\.[a-z0-9-]*\\.([a-z2-7]{26}|default)");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private OciIds() {
    }

    /** Where a stream OCID points: a namespace and a stream name (not yet checked against the store's rules). */
    record StreamRef(Namespace namespace, String name) {
    }

    static String stream(String region, Namespace namespace, String name) {
        return "ocid1.stream.oc1." + region + "." + base32((namespace.value() + "/" + name)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws OciException 404 if it is not a stream OCID this API could have handed out
     */
    static StreamRef stream(String id) {
        var matcher = STREAM.matcher(id == null ? "" : id);
        Optional<String> decoded = matcher.matches() ? decode(matcher.group(1)) : Optional.empty();
        int slash = decoded.map(d -> d.indexOf('/')).orElse(-1);
        if (slash < 1) {
            throw OciException.notFound("stream " + clip(id) + " does not exist: not a stream OCID of this gateway");
        }
        String ns = decoded.get().substring(0, slash);
        if (!ns.equals(Namespace.DEFAULT.value()) && !ns.startsWith(POOL_PREFIX)
                || Namespace.check("namespace", ns).isPresent()) {
            throw OciException.notFound("stream " + clip(id) + " does not exist: not a stream OCID of this gateway");
        }
        return new StreamRef(Namespace.of(ns), decoded.get().substring(slash + 1));
    }

    static String pool(String region, Namespace namespace) {
        return "ocid1.streampool.oc1." + region + "." + (namespace.isDefault() ? DEFAULT_POOL
                : namespace.value().substring(POOL_PREFIX.length()));
    }

    /** The namespace of a pool OCID; 404 if it is not one this API could have handed out. */
    static Namespace pool(String id) {
        var matcher = POOL.matcher(id == null ? "" : id);
        if (!matcher.matches()) {
            throw OciException.notFound("stream pool " + clip(id) + " does not exist: not a stream pool OCID of this"
                    + " gateway");
        }
        return matcher.group(1).equals(DEFAULT_POOL) ? Namespace.DEFAULT : Namespace.of(POOL_PREFIX + matcher.group(1));
    }

    /** Whether a namespace is a stream pool (the default one, or one made by this API). */
    static boolean isPool(Namespace namespace) {
        return namespace.isDefault() || namespace.value().startsWith(POOL_PREFIX)
                && namespace.value().substring(POOL_PREFIX.length()).matches("[a-z2-7]{26}");
    }

    /** A fresh pool namespace. */
    static Namespace newPool() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Namespace.of(POOL_PREFIX + base32(bytes).substring(0, 26));
    }

    static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** The UTF-8 text of unpadded base32; empty if it is not (trailing bits must be zero, the text valid UTF-8). */
    static Optional<String> decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            int value = ALPHABET.indexOf(text.charAt(i));
            if (value < 0) {
                return Optional.empty();
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
                    .toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static String clip(String text) {
        if (text == null) {
            return "(absent)";
        }
        String safe = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return "\"" + safe.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
