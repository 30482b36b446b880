package dev.patchbay.number;

import dev.patchbay.PatchbayException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Where a call's instructions come from and where its status goes: shared by numbers and applications. */
public record VoiceSettings(
        Optional<String> url,
        HttpMethod method,
        Optional<String> fallbackUrl,
        HttpMethod fallbackMethod,
        Optional<String> statusCallback,
        HttpMethod statusCallbackMethod,
        Set<CallEvent> statusCallbackEvents) {

    /** Twilio's call progress events a status callback can subscribe to. */
    public enum CallEvent {
        INITIATED, RINGING, ANSWERED, COMPLETED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static CallEvent parse(String value) {
            for (CallEvent e : values()) {
                if (e.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw PatchbayException.InvalidParameter.invalid("StatusCallbackEvent", value, "initiated, ringing, answered or completed");
        }

        /** The stored form: space-separated wire names. */
        public static String store(Set<CallEvent> events) {
            return String.join(" ", events.stream().sorted().map(CallEvent::wire).toList());
        }

        public static Set<CallEvent> load(String stored) {
            Set<CallEvent> out = EnumSet.noneOf(CallEvent.class);
            for (String part : stored.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(parse(part));
                }
            }
            return Set.copyOf(out);
        }
    }

    public static final VoiceSettings NONE = new VoiceSettings(Optional.empty(), HttpMethod.POST, Optional.empty(),
            HttpMethod.POST, Optional.empty(), HttpMethod.POST, Set.of(CallEvent.COMPLETED));

    public VoiceSettings withUrl(Optional<String> value) {
        return new VoiceSettings(value, method, fallbackUrl, fallbackMethod, statusCallback, statusCallbackMethod, statusCallbackEvents);
    }

    public VoiceSettings withMethod(HttpMethod value) {
        return new VoiceSettings(url, value, fallbackUrl, fallbackMethod, statusCallback, statusCallbackMethod, statusCallbackEvents);
    }

    public VoiceSettings withFallbackUrl(Optional<String> value) {
        return new VoiceSettings(url, method, value, fallbackMethod, statusCallback, statusCallbackMethod, statusCallbackEvents);
    }

    public VoiceSettings withFallbackMethod(HttpMethod value) {
        return new VoiceSettings(url, method, fallbackUrl, value, statusCallback, statusCallbackMethod, statusCallbackEvents);
    }

    public VoiceSettings withStatusCallback(Optional<String> value) {
        return new VoiceSettings(url, method, fallbackUrl, fallbackMethod, value, statusCallbackMethod, statusCallbackEvents);
    }

    public VoiceSettings withStatusCallbackEvents(Set<CallEvent> value) {
        return new VoiceSettings(url, method, fallbackUrl, fallbackMethod, statusCallback, statusCallbackMethod, Set.copyOf(value));
    }

    public VoiceSettings withStatusCallbackMethod(HttpMethod value) {
        return new VoiceSettings(url, method, fallbackUrl, fallbackMethod, statusCallback, value, statusCallbackEvents);
    }

    /**
     * An absolute http(s) URL, or empty when the value is blank (Twilio clears a URL set to ""). Error
     * 21205 names the parameter otherwise.
     */
    public static Optional<String> url(String parameter, String value) {
        if (value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(value.trim());
            }
        } catch (URISyntaxException e) {
            // fall through to the error below
        }
        throw new PatchbayException.InvalidParameter(21205, parameter + " is not a valid URL: " + value);
    }
}
