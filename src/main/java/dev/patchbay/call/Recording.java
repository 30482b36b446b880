package dev.patchbay.call;

import java.time.Instant;

/** A finished recording: audio in {@code <data>/recordings/<fileName>}, described in the store. */
public record Recording(String sid, String accountSid, String callSid, String status, int duration, int channels, String source,
                        String fileName, Instant startTime, Instant dateCreated, Instant dateUpdated) {
}
