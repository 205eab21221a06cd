package org.virtcaps.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * One response body, ready to send: the bytes, a strong ETag derived from them (so equal documents get
 * equal tags, across restarts too), and the gzip-compressed bytes, made on first demand and kept.
 */
final class Representation {
    private final byte[] body;
    private final String mediaType;
    private final String etag;
    private volatile byte[] gzipped;

    Representation(byte[] body, String mediaType) {
        this.body = body;
        this.mediaType = mediaType;
        this.etag = "\"" + digest(body) + "\"";
    }

    byte[] body() {
        return body;
    }

    String mediaType() {
        return mediaType;
    }

    /** Strong ETag of the identity-encoded body. */
    String etag() {
        return etag;
    }

    /** Strong ETag of the gzip-encoded body: a different byte sequence needs a different tag. */
    String gzipEtag() {
        return etag.substring(0, etag.length() - 1) + "-gzip\"";
    }

    byte[] gzipped() {
        byte[] g = gzipped;
        if (g == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g = out.toByteArray();
            gzipped = g;
        }
        return g;
    }

    private static String digest(byte[] body) {
        try {
            // 128 bits of SHA-256: collisions are not a practical concern for cache validation
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
