package dev.patchbay.call;

/** What can happen to a call while its thread waits: the caller pressed a key, audio finished, or the call ended. */
sealed interface CallEvent {

    record Digit(char digit) implements CallEvent {
    }

    record PlaybackDone(Object playback, boolean finished) implements CallEvent {
    }

    record HungUp() implements CallEvent {
    }
}
