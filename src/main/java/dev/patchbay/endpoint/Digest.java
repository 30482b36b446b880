package dev.patchbay.endpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP digest authentication as SIP uses it (RFC 3261 22.4, RFC 2617, MD5, qop=auth). Nonces are
 * stateless: a timestamp and an HMAC of it under a per-node secret, so any nonce we did not issue,
 * or issued more than {@link #NONCE_LIFETIME_MILLIS} ago, is refused without keeping state.
 */
public final class Digest {

    public static final long NONCE_LIFETIME_MILLIS = 5 * 60_000;

    private final byte[] secret;

    public Digest(byte[] secret) {
        this.secret = secret.clone();
    }

    /** The stored form of a password: MD5(username:realm:password). */
    public static String ha1(String username, String realm, String password) {
        return md5(username + ":" + realm + ":" + password);
    }

    public String nonce(long nowMillis) {
        String stamp = Long.toHexString(nowMillis);
        return stamp + "." + hmac(stamp);
    }

    public boolean isFresh(String nonce, long nowMillis) {
        int dot = nonce.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String stamp = nonce.substring(0, dot);
        if (!MessageDigest.isEqual(hmac(stamp).getBytes(StandardCharsets.US_ASCII), nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            long issued = Long.parseLong(stamp, 16);
            return nowMillis - issued >= 0 && nowMillis - issued <= NONCE_LIFETIME_MILLIS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The response a client computes; {@code qop} null means RFC 2069 style (no nc, no cnonce). */
    public static String response(String ha1, String nonce, String method, String uri, String qop, String nc, String cnonce) {
        String ha2 = md5(method + ":" + uri);
        if (qop == null || qop.isEmpty()) {
            return md5(ha1 + ":" + nonce + ":" + ha2);
        }
        return md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    public static boolean matches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
