package dev.patchbay.call;

import java.time.Instant;
import java.util.Optional;

/**
 * One stretch of a call under one controller: its mode, the module in control (an application
 * URL, {@code bridge:<uri>}...), why control passed to it, and when it ended and why.
 */
public record Segment(String sid, String callSid, String accountSid, int seq, Mode mode, String module, String reason,
                      Instant startedAt, Optional<Instant> endedAt, Optional<String> endReason) {
}
