package dev.patchbay.call;

/**
 * What can happen to a call while its thread waits: the caller pressed a key, audio finished,
 * a leg it dialed progressed, control was redirected from outside, or the call ended.
 */
sealed interface CallEvent {

    record Digit(char digit) implements CallEvent {
    }

    record PlaybackDone(Object playback, boolean finished) implements CallEvent {
    }

    record HungUp() implements CallEvent {
    }

    /** New instructions arrived from outside (REST): whatever runs now stops and they take over. */
    record Redirect() implements CallEvent {
    }

    /** The conference room this call is in changed for it: ended, muted, held, or the call was asked to leave. */
    record RoomChanged() implements CallEvent {
    }

    /** A notice to speak to the caller while a bridge relays its audio (the bridge pauses for it). */
    record Notice(short[] audio) implements CallEvent {
    }

    /** A queue this call waits on changed for it: a caller joined the queue its agent watches, or its talk was let go. */
    record QueueChanged() implements CallEvent {
    }

    /** The caller this call was bridged to from a queue hung up. */
    record PeerHungUp() implements CallEvent {
    }

    /** A leg this call dialed rang, answered, failed or hung up. */
    record Leg(Bridge.Dialing dialing, Kind kind, int sipStatus, String sdp) implements CallEvent {
        enum Kind { RINGING, ANSWERED, FAILED, HUNG_UP }
    }
}
