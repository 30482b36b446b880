package dev.patchbay.media;

/** Audio that cannot be fetched, decoded or synthesized; the message says what and why. */
public class MediaException extends RuntimeException {
    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
