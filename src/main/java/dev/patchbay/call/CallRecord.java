package dev.patchbay.call;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the store knows of a call. {@code startTime} is when it was answered and
 * {@code duration} counts from there to the end: ring time is not call time. {@code price} is
 * Twilio's: negative for a charge, the sum of the call's segment charges once they are rated.
 */
public record CallRecord(
        String sid,
        String accountSid,
        Optional<String> parentCallSid,
        Optional<String> phoneNumberSid,
        String to,
        String from,
        String direction,
        CallStatus status,
        Optional<Instant> startTime,
        Optional<Instant> endTime,
        Optional<Integer> duration,
        Optional<String> callerName,
        Optional<String> sipCallId,
        String nodeId,
        Instant dateCreated,
        Instant dateUpdated,
        Optional<BigDecimal> price) {

    /** A call as first written: no price until its segments are rated. */
    public CallRecord(String sid, String accountSid, Optional<String> parentCallSid, Optional<String> phoneNumberSid, String to, String from,
                      String direction, CallStatus status, Optional<Instant> startTime, Optional<Instant> endTime, Optional<Integer> duration,
                      Optional<String> callerName, Optional<String> sipCallId, String nodeId, Instant dateCreated, Instant dateUpdated) {
        this(sid, accountSid, parentCallSid, phoneNumberSid, to, from, direction, status, startTime, endTime, duration, callerName, sipCallId,
                nodeId, dateCreated, dateUpdated, Optional.empty());
    }

    /** Whole seconds between answer and end, rounded half up; 0 for a call never answered. */
    public static int durationSeconds(Optional<Instant> answered, Instant ended) {
        return answered.map(a -> (int) ((Duration.between(a, ended).toMillis() + 500) / 1000)).orElse(0);
    }
}
