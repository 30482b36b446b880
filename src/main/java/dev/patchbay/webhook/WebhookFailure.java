package dev.patchbay.webhook;

/** An application request that did not yield a usable answer, with the Twilio error code for it. */
public final class WebhookFailure extends RuntimeException {

    /** HTTP retrieval failure: non-2xx answer, timeout, refused connection. */
    public static final int HTTP_RETRIEVAL_FAILURE = 11200;
    /** The connection could not be made at all. */
    public static final int HTTP_CONNECTION_FAILURE = 11205;
    /** The answer's Content-Type is not something Patchbay can execute. */
    public static final int INVALID_CONTENT_TYPE = 12300;

    private final int code;

    public WebhookFailure(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
