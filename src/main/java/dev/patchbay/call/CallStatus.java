package dev.patchbay.call;

import java.util.Locale;

/** Twilio's call statuses. queued, ringing and in-progress are live; the rest are final. */
public enum CallStatus {
    QUEUED, RINGING, IN_PROGRESS, COMPLETED, BUSY, FAILED, NO_ANSWER, CANCELED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean isLive() {
        return this == QUEUED || this == RINGING || this == IN_PROGRESS;
    }

    public static CallStatus parse(String wire) {
        for (CallStatus s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown call status " + wire);
    }
}
