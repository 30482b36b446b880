package dev.patchbay.call;

import java.time.Instant;
import java.util.Optional;

/** An error (log 0) or warning (log 1) met while running a call, with Twilio's error code. */
public record Notification(String sid, String accountSid, Optional<String> callSid, int log, int errorCode, String messageText,
                           Optional<String> requestUrl, Optional<String> requestMethod, Optional<String> responseBody,
                           Instant messageDate, Instant dateCreated) {
}
