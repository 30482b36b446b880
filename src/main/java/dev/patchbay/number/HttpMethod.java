package dev.patchbay.number;

import dev.patchbay.PatchbayException;
import java.util.Locale;

/** The two methods Twilio lets a webhook use. */
public enum HttpMethod {
    GET, POST;

    public static HttpMethod parse(String parameter, String value) {
        String upper = value.trim().toUpperCase(Locale.ROOT);
        if (upper.equals("GET")) {
            return GET;
        }
        if (upper.equals("POST")) {
            return POST;
        }
        throw PatchbayException.InvalidParameter.invalid(parameter, value, "GET or POST");
    }
}
