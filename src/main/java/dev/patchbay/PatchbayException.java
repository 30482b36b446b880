package dev.patchbay;

/**
 * A request the platform refuses, with the Twilio error code that explains it. Each feature
 * throws one of the subclasses; the REST layer maps them to HTTP in one place
 * ({@code api.ErrorResponses}), the SIP edge to SIP responses.
 */
public abstract class PatchbayException extends RuntimeException {

    private final int code;

    protected PatchbayException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The Twilio-compatible error code, documented at {@code https://www.twilio.com/docs/errors/<code>}. */
    public int code() {
        return code;
    }

    /** A resource that does not exist, or exists but belongs to another account. */
    public static final class NotFound extends PatchbayException {
        public NotFound(String what) {
            super(20404, "The requested resource " + what + " was not found");
        }
    }

    /** A parameter that is missing, malformed or not allowed; the message names it. */
    public static final class InvalidParameter extends PatchbayException {
        public InvalidParameter(int code, String message) {
            super(code, message);
        }

        public static InvalidParameter missing(String name) {
            return new InvalidParameter(20001, "Missing required parameter " + name + " in the post body");
        }

        public static InvalidParameter invalid(String name, String value, String expected) {
            return new InvalidParameter(20001, "Invalid parameter " + name + ": '" + value + "' is not " + expected);
        }
    }

    /** A state conflict, such as a phone number another resource already holds. */
    public static final class Conflict extends PatchbayException {
        public Conflict(int code, String message) {
            super(code, message);
        }
    }
}
