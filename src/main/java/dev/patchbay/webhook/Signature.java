package dev.patchbay.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Twilio-Signature}: HMAC-SHA1, keyed by the account's auth token, over the full URL
 * followed, for form POSTs, by every parameter name and value sorted by name (then value), with
 * no separators; Base64-encoded. Apps validate it with Twilio's own helper libraries.
 */
public final class Signature {

    public static final String HEADER = "X-Twilio-Signature";
    /** Looked up once: each signature clones it, which skips the provider search {@code Mac.getInstance} makes every time. */
    private static final Mac HMAC_SHA1 = hmacSha1();

    private Signature() {
    }

    /** {@code params} are the POST body's parameters; pass an empty list for GET (the URL carries them). */
    public static String compute(String authToken, String url, List<Map.Entry<String, String>> params) {
        List<Map.Entry<String, String>> sorted = new ArrayList<>(params);
        sorted.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, String> p : sorted) {
            data.append(p.getKey()).append(p.getValue());
        }
        try {
            Mac mac = (Mac) HMAC_SHA1.clone();
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }

    private static Mac hmacSha1() {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.clone();   // fails here, at class initialisation, if the provider's HMAC cannot be cloned
            return mac;
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }
}
