package dev.patchbay.call;

import java.util.Map;
import java.util.Optional;

/**
 * Places outgoing SIP calls; the SIP edge implements it. {@link #dial} returns at once: the new
 * leg reports its progress to the listener from SIP threads, so listeners only enqueue.
 */
public interface Dialer {

    /** Sends an INVITE; the returned leg hangs up (BYE) or cancels (CANCEL) as its state demands. */
    SipLeg dial(Outgoing outgoing, Listener listener);

    /**
     * An INVITE to send: {@code uri} is where it goes, {@code from} the caller (E.164 or a SIP
     * address), optional digest credentials answer a 401/407 once.
     */
    record Outgoing(String uri, String from, String sdp, Optional<String> username, Optional<String> password,
                    Map<String, String> headers) {

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Outgoing[uri=" + uri + ", from=" + from + ", username=" + username.orElse("") + "]";
        }
    }

    /** What happens to an outgoing leg. Called on SIP threads: must not block. */
    interface Listener {
        void ringing();

        void answered(String sdp);

        /** A final failure: the SIP status (486 busy, 408 no response, 503...), or 487 after our CANCEL. */
        void failed(int sipStatus);

        /** The answered callee hung up (BYE). */
        void hungUp();
    }
}
