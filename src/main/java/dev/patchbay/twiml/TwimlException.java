package dev.patchbay.twiml;

/** A document that is not usable TwiML: 12100 when it is not well-formed XML, 12200 when it breaks the schema. */
public final class TwimlException extends RuntimeException {

    public static final int PARSE_FAILURE = 12100;
    public static final int SCHEMA_VALIDATION = 12200;

    private final int code;

    public TwimlException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
