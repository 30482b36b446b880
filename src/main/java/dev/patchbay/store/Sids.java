package dev.patchbay.store;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Twilio-style identifiers: a two-letter prefix and 32 lowercase hex digits. A new SID's first 12
 * digits are the time it was made (milliseconds since 1970) and its other 20 are secure random
 * (80 bits: still unguessable): SIDs made later sort later, so a store index on them grows at its
 * right edge instead of changing pages all over the tree (UUIDv7's layout). Nothing reads the time
 * back; a SID stays an opaque name.
 */
public final class Sids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[A-Z]{2}[0-9a-f]{32}");

    private Sids() {
    }

    public static String next(String prefix) {
        return next(prefix, System.currentTimeMillis());
    }

    /** A SID made at {@code epochMillis}. */
    static String next(String prefix, long epochMillis) {
        return prefix + HexFormat.of().toHexDigits(epochMillis).substring(4) + randomHex(10);   // the low 48 bits: 12 digits
    }

    /** 2 × {@code bytes} hex digits of secure randomness, used for SIDs, tokens and secrets. */
    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static boolean looksLike(String prefix, String sid) {
        return sid != null && sid.startsWith(prefix) && SHAPE.matcher(sid).matches();
    }
}
