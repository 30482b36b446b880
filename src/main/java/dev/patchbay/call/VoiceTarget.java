package dev.patchbay.call;

import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.VoiceSettings;
import java.util.Optional;
import java.util.Set;

/** Where a call's instructions come from: the application URL, its fallback, and the status callback. */
record VoiceTarget(String url, HttpMethod method, Optional<String> fallbackUrl, HttpMethod fallbackMethod,
                   Optional<String> statusCallback, HttpMethod statusCallbackMethod, Set<VoiceSettings.CallEvent> statusCallbackEvents) {
}
