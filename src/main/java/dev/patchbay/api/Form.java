package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.VoiceSettings;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of one REST request: the form body of a POST, the query of a GET. Names are
 * Twilio's PascalCase; every accessor validates and names the parameter in its error.
 */
final class Form {

    private final Map<String, List<String>> params;

    private Form(Map<String, List<String>> params) {
        this.params = params;
    }

    static Form of(Context ctx) {
        return new Form(ctx.method().name().equals("GET") ? ctx.queryParamMap() : ctx.formParamMap());
    }

    boolean has(String name) {
        return params.containsKey(name);
    }

    Optional<String> optional(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    String required(String name) {
        return optional(name).filter(v -> !v.isBlank()).orElseThrow(() -> PatchbayException.InvalidParameter.missing(name));
    }

    /** A free-text value of bounded length. */
    Optional<String> text(String name, int maxLength) {
        Optional<String> value = optional(name);
        value.filter(v -> v.length() > maxLength).ifPresent(v -> {
            throw PatchbayException.InvalidParameter.invalid(name, v.substring(0, 20) + "...", "at most " + maxLength + " characters");
        });
        return value;
    }

    Optional<HttpMethod> method(String name) {
        return optional(name).map(v -> HttpMethod.parse(name, v));
    }

    Optional<Optional<String>> url(String name) {
        return optional(name).map(v -> VoiceSettings.url(name, v));
    }

    int integer(String name, int fallback, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw PatchbayException.InvalidParameter.invalid(name, value.get(), "an integer from " + min + " to " + max);
    }

    /** The given filters as they appear in the request, encoded for page links: {@code &To=%2B1...}. */
    /** A money amount: a positive decimal with at most 6 places (never a binary float). */
    static BigDecimal money(String name, String value) {
        String v = value.trim();
        if (v.matches("[0-9]{1,12}(\\.[0-9]{1,6})?")) {
            BigDecimal amount = new BigDecimal(v);
            if (amount.signum() > 0) {
                return amount;
            }
        }
        throw PatchbayException.InvalidParameter.invalid(name, value, "a positive amount such as 0.50 (at most 6 decimals)");
    }

    /** The money parameter {@code name}, if given and not blank. */
    Optional<BigDecimal> money(String name) {
        return optional(name).filter(v -> !v.isBlank()).map(v -> money(name, v));
    }

    String query(String... names) {
        StringBuilder query = new StringBuilder();
        for (String name : names) {
            for (String value : all(name)) {
                query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }

    /**
     * Applies the voice parameters present in the request to {@code base}: {@code prefix} is
     * {@code Voice} for numbers and applications ({@code VoiceUrl}, {@code VoiceMethod}, ...).
     */
    VoiceSettings voice(VoiceSettings base) {
        VoiceSettings v = base;
        if (url("VoiceUrl").isPresent()) {
            v = v.withUrl(url("VoiceUrl").get());
        }
        if (method("VoiceMethod").isPresent()) {
            v = v.withMethod(method("VoiceMethod").get());
        }
        if (url("VoiceFallbackUrl").isPresent()) {
            v = v.withFallbackUrl(url("VoiceFallbackUrl").get());
        }
        if (method("VoiceFallbackMethod").isPresent()) {
            v = v.withFallbackMethod(method("VoiceFallbackMethod").get());
        }
        if (url("StatusCallback").isPresent()) {
            v = v.withStatusCallback(url("StatusCallback").get());
        }
        if (method("StatusCallbackMethod").isPresent()) {
            v = v.withStatusCallbackMethod(method("StatusCallbackMethod").get());
        }
        if (has("StatusCallbackEvent")) {
            Set<VoiceSettings.CallEvent> events = EnumSet.noneOf(VoiceSettings.CallEvent.class);
            for (String value : all("StatusCallbackEvent")) {
                for (String part : value.trim().split("[\\s,]+")) {
                    if (!part.isEmpty()) {
                        events.add(VoiceSettings.CallEvent.parse(part));
                    }
                }
            }
            v = v.withStatusCallbackEvents(events);
        }
        return v;
    }
}
