package dev.patchbay.call;

/** Thrown out of any blocking step when the call has ended, so the interpreter unwinds at once. */
final class CallEnded extends RuntimeException {
    CallEnded() {
        super("the call has ended", null, false, false);
    }
}
