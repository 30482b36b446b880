package dev.patchbay.call;

import java.time.Instant;
import java.util.Optional;

/** A finished recording: audio in {@code <data>/recordings/<fileName>}, described in the store; a conference's names it. */
public record Recording(String sid, String accountSid, String callSid, Optional<String> conferenceSid, String status, int duration, int channels, String source,
                        String fileName, Instant startTime, Instant dateCreated, Instant dateUpdated) {
}
