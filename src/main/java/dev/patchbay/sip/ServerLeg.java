package dev.patchbay.sip;

import dev.patchbay.call.LiveCall;
import dev.patchbay.call.SipLeg;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.ServerTransaction;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UAS side of one inbound call: its INVITE transaction and, once answered, its dialog.
 * Final responses are sent at most once whichever thread gets there first.
 */
final class ServerLeg implements SipLeg {

    private static final Logger log = LoggerFactory.getLogger(ServerLeg.class);

    private final SipEdge edge;
    private final ServerTransaction invite;
    private final Request request;
    private final String callId;
    private final String toTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final CountDownLatch acked = new CountDownLatch(1);
    private volatile LiveCall call;
    private boolean finalSent;
    private boolean answered;
    private boolean canceled;

    ServerLeg(SipEdge edge, ServerTransaction invite, Request request) {
        this.edge = edge;
        this.invite = invite;
        this.request = request;
        this.callId = SipRequests.callId(request);
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public void attach(LiveCall call) {
        this.call = call;
        boolean endedEarly;
        synchronized (this) {
            endedEarly = canceled;
        }
        if (endedEarly) {
            call.remoteHangup();
        }
    }

    Optional<LiveCall> call() {
        return Optional.ofNullable(call);
    }

    void trying() {
        send(Response.TRYING, null, false);
    }

    @Override
    public void ringing() {
        send(Response.RINGING, null, false);
    }

    @Override
    public void answer(String sdp) {
        synchronized (this) {
            if (finalSent) {
                return;
            }
        }
        send(Response.OK, sdp, true);
        synchronized (this) {
            answered = true;
        }
    }

    @Override
    public void reject(int sipStatus) {
        send(sipStatus, null, true);
    }

    @Override
    public void hangup() {
        boolean wasAnswered;
        synchronized (this) {
            wasAnswered = answered;
        }
        if (!wasAnswered) {
            reject(Response.TEMPORARILY_UNAVAILABLE);
            edge.forget(callId);
            return;
        }
        Dialog dialog = invite.getDialog();
        try {
            // A UAS may not send BYE before the ACK of its 200 (RFC 3261 15.1.1); wait briefly for it.
            if (dialog.getState() != DialogState.CONFIRMED) {
                acked.await(2, TimeUnit.SECONDS);
            }
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction ct = edge.provider().getNewClientTransaction(bye);
            dialog.sendRequest(ct);
        } catch (Exception e) {
            log.debug("BYE for {} not sent: {}", callId, e.toString());
        } finally {
            edge.forget(callId);
        }
    }

    @Override
    public CompletableFuture<Optional<String>> reinvite(String sdp) {
        try {
            if (invite.getDialog().getState() != DialogState.CONFIRMED) {
                acked.await(2, TimeUnit.SECONDS);   // a re-INVITE must wait for the ACK of our 200
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return edge.outgoing().reinvite(invite.getDialog(), sdp);
    }

    void acked() {
        acked.countDown();
    }

    /** CANCEL arrived: 487 for the INVITE unless it was already answered; true when the call is over. */
    boolean cancel() {
        synchronized (this) {
            if (finalSent) {
                return false;
            }
            canceled = true;
        }
        send(Response.REQUEST_TERMINATED, null, true);
        LiveCall c = call;
        if (c != null) {
            c.remoteHangup();
        }
        return true;
    }

    void remoteEnded() {
        LiveCall c = call;
        if (c != null) {
            c.remoteHangup();
        }
    }

    private void send(int status, String sdp, boolean isFinal) {
        synchronized (this) {
            if (finalSent) {
                return;
            }
            if (isFinal) {
                finalSent = true;
            }
        }
        try {
            Response response = edge.messages().createResponse(status, request);
            if (status != Response.TRYING) {
                ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
            }
            if (status / 100 == 2 || status == Response.RINGING) {
                response.addHeader(edge.contact());
            }
            if (sdp != null) {
                response.setContent(sdp, edge.headers().createContentTypeHeader("application", "sdp"));
            }
            invite.sendResponse(response);
        } catch (Exception e) {
            log.debug("could not send {} for {}: {}", status, callId, e.toString());
        }
    }
}
