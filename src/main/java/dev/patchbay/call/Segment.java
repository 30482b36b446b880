package dev.patchbay.call;

import java.time.Instant;
import java.util.Optional;

/**
 * One stretch of a call under one controller: its mode, the controller's label (an application
 * URL, {@code bridge:<uri>}, a module alias...), the module in control with its developer's
 * account and the flow node when a module is, why control passed to it, and when it ended and why.
 */
public record Segment(String sid, String callSid, String accountSid, int seq, Mode mode, String module, String reason,
                      Instant startedAt, Optional<Instant> endedAt, Optional<String> endReason, Optional<String> moduleSid,
                      Optional<String> moduleOwnerSid, Optional<String> flowSid, Optional<Integer> flowVersion, Optional<String> flowNode) {
}
