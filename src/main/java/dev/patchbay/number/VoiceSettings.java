package dev.patchbay.number;

import dev.patchbay.PatchbayException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** Where a call's instructions come from and where its status goes: shared by numbers and applications. */
public record VoiceSettings(
        Optional<String> url,
        HttpMethod method,
        Optional<String> fallbackUrl,
        HttpMethod fallbackMethod,
        Optional<String> statusCallback,
        HttpMethod statusCallbackMethod) {

    public static final VoiceSettings NONE = new VoiceSettings(Optional.empty(), HttpMethod.POST, Optional.empty(),
            HttpMethod.POST, Optional.empty(), HttpMethod.POST);

    public VoiceSettings withUrl(Optional<String> value) {
        return new VoiceSettings(value, method, fallbackUrl, fallbackMethod, statusCallback, statusCallbackMethod);
    }

    public VoiceSettings withMethod(HttpMethod value) {
        return new VoiceSettings(url, value, fallbackUrl, fallbackMethod, statusCallback, statusCallbackMethod);
    }

    public VoiceSettings withFallbackUrl(Optional<String> value) {
        return new VoiceSettings(url, method, value, fallbackMethod, statusCallback, statusCallbackMethod);
    }

    public VoiceSettings withFallbackMethod(HttpMethod value) {
        return new VoiceSettings(url, method, fallbackUrl, value, statusCallback, statusCallbackMethod);
    }

    public VoiceSettings withStatusCallback(Optional<String> value) {
        return new VoiceSettings(url, method, fallbackUrl, fallbackMethod, value, statusCallbackMethod);
    }

    public VoiceSettings withStatusCallbackMethod(HttpMethod value) {
        return new VoiceSettings(url, method, fallbackUrl, fallbackMethod, statusCallback, value);
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
        } catch (java.net.URISyntaxException e) {
            // fall through to the error below
        }
        throw new PatchbayException.InvalidParameter(21205, parameter + " is not a valid URL: " + value);
    }
}
