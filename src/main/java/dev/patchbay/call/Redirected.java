package dev.patchbay.call;

/**
 * Thrown on a call's thread when new instructions arrive from outside (a REST redirect): it
 * unwinds whatever verb or bridge is running, which releases what it holds, up to the loop
 * that runs the new instructions.
 */
final class Redirected extends RuntimeException {

    private final Outcome instructions;
    private final String reason;

    Redirected(Outcome instructions, String reason) {
        super(null, null, false, false);
        this.instructions = instructions;
        this.reason = reason;
    }

    Outcome instructions() {
        return instructions;
    }

    String reason() {
        return reason;
    }
}
