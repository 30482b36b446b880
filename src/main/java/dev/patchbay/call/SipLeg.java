package dev.patchbay.call;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The signaling side of a call leg, as the call layer sees it. The SIP edge implements it;
 * every method is safe to call from the call's thread and does not block on the network.
 */
public interface SipLeg {

    /** The call this leg carries, from its creation on: remote hang-ups reach it from here. */
    void attach(LiveCall call);

    /** 180 Ringing. */
    void ringing();

    /** 200 OK with our SDP answer. */
    void answer(String sdp);

    /** A final error response to the unanswered INVITE (486 busy, 603 decline, 480, 500...). */
    void reject(int sipStatus);

    /** Ends the call from our side: BYE when answered, else a 480 to the INVITE. */
    void hangup();

    /**
     * Sends a re-INVITE offering {@code sdp} on the established dialog; completes with the
     * answer's SDP, or empty when it was refused or not answered in time.
     */
    CompletableFuture<Optional<String>> reinvite(String sdp);

    /** The SIP Call-ID, for logs and the call record. */
    String callId();
}
