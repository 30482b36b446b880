package dev.patchbay.store;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Twilio-style identifiers: a two-letter prefix and 32 lowercase hex digits. */
public final class Sids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[A-Z]{2}[0-9a-f]{32}");

    private Sids() {
    }

    public static String next(String prefix) {
        return prefix + randomHex(16);
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
