package dev.patchbay.sip;

import dev.patchbay.call.Dialer;
import dev.patchbay.call.LiveCall;
import dev.patchbay.call.SipLeg;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UAC side of one outgoing call: our INVITE, the callee's answers, and then the dialog.
 * Hanging up sends CANCEL before the answer and BYE after it; a CANCEL asked for before any
 * provisional response waits for one (RFC 3261 9.1), and an answer that crosses our CANCEL is
 * acknowledged and then ended with BYE.
 */
final class ClientLeg implements SipLeg {

    private static final Logger log = LoggerFactory.getLogger(ClientLeg.class);

    private final SipEdge edge;
    private final String callId;
    private final Dialer.Outgoing outgoing;
    private final Dialer.Listener listener;
    private volatile LiveCall call;
    private ClientTransaction invite;
    private Dialog dialog;
    private boolean provisional;
    private boolean rang;
    private boolean answered;
    private boolean ended;
    private boolean cancelWanted;
    private boolean challenged;

    ClientLeg(SipEdge edge, String callId, Dialer.Outgoing outgoing, Dialer.Listener listener) {
        this.edge = edge;
        this.callId = callId;
        this.outgoing = outgoing;
        this.listener = listener;
    }

    Dialer.Outgoing outgoing() {
        return outgoing;
    }

    synchronized void sent(ClientTransaction transaction) {
        this.invite = transaction;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public void attach(LiveCall call) {
        this.call = call;
    }

    Optional<LiveCall> call() {
        return Optional.ofNullable(call);
    }

    @Override
    public void ringing() {
        // we are the caller: ringing is the callee's to send
    }

    @Override
    public void answer(String sdp) {
        // the callee answered us; nothing to send
    }

    @Override
    public void reject(int sipStatus) {
        hangup();
    }

    @Override
    public void hangup() {
        Dialog toBye = null;
        ClientTransaction toCancel = null;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (answered) {
                ended = true;
                toBye = dialog;
            } else if (provisional) {
                cancelWanted = true;   // an answer crossing the CANCEL is then ACKed and ended with BYE
                toCancel = invite;
            } else {
                cancelWanted = true;
            }
        }
        if (toBye != null) {
            bye(toBye);
        } else if (toCancel != null) {
            cancel(toCancel);
        }
    }

    @Override
    public CompletableFuture<Optional<String>> reinvite(String sdp) {
        Dialog d;
        synchronized (this) {
            d = answered && !ended ? dialog : null;
        }
        return d == null ? CompletableFuture.completedFuture(Optional.empty()) : edge.outgoing().reinvite(d, sdp);
    }

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            boolean cancelNow;
            boolean ringNow;
            synchronized (this) {
                provisional = true;
                cancelNow = cancelWanted && !ended;
                ringNow = status != 100 && !rang && !cancelWanted;
                rang |= ringNow;
            }
            if (cancelNow) {
                cancel(event.getClientTransaction() != null ? event.getClientTransaction() : invite);
            } else if (ringNow) {
                listener.ringing();
            }
            return;
        }
        if (status < 300) {
            answeredBy(event);
            return;
        }
        if ((status == 401 || status == 407) && retryWithCredentials(event)) {
            return;
        }
        synchronized (this) {
            if (ended || answered) {
                return;
            }
            ended = true;
        }
        edge.forgetClient(callId);
        listener.failed(status);
    }

    private void answeredBy(ResponseEvent event) {
        Dialog d = event.getDialog();
        boolean first;
        boolean unwanted;
        synchronized (this) {
            first = !answered && !ended;
            unwanted = cancelWanted || ended;
            if (first && !unwanted) {
                answered = true;
                dialog = d;
            }
        }
        if (!first && !unwanted) {
            return;   // a retransmitted 200; the stack re-sends our ACK
        }
        try {
            long cseq = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
            d.sendAck(d.createAck(cseq));
        } catch (Exception e) {
            log.debug("ACK for {} not sent: {}", callId, e.toString());
        }
        if (unwanted) {   // the answer crossed our CANCEL: end it properly
            synchronized (this) {
                ended = true;
            }
            bye(d);
            edge.forgetClient(callId);
            listener.failed(487);
            return;
        }
        byte[] body = event.getResponse().getRawContent();
        listener.answered(body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }

    private boolean retryWithCredentials(ResponseEvent event) {
        synchronized (this) {
            if (challenged || outgoing.username().isEmpty() || ended || cancelWanted) {
                return false;
            }
            challenged = true;
        }
        try {
            ClientTransaction retry = edge.outgoing().authentication().handleChallenge(event.getResponse(), event.getClientTransaction(), edge.provider(), 5);
            synchronized (this) {
                invite = retry;
            }
            retry.sendRequest();
            return true;
        } catch (Exception e) {
            log.debug("cannot answer the challenge for {}: {}", callId, e.toString());
            return false;
        }
    }

    /** No final answer in time (Timer B), or the transport failed. */
    void timedOut(int status) {
        synchronized (this) {
            if (ended || answered) {
                return;
            }
            ended = true;
        }
        edge.forgetClient(callId);
        listener.failed(status);
    }

    /** The callee sent BYE. */
    void remoteBye() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        edge.forgetClient(callId);
        LiveCall c = call;
        if (c != null) {
            c.remoteHangup();   // the call tells whoever dialed it
        } else {
            listener.hungUp();
        }
    }

    private void cancel(ClientTransaction transaction) {
        try {
            Request cancel = transaction.createCancel();
            edge.provider().getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            log.debug("CANCEL for {} not sent: {}", callId, e.toString());
        }
    }

    private void bye(Dialog d) {
        try {
            Request bye = d.createRequest(Request.BYE);
            d.sendRequest(edge.provider().getNewClientTransaction(bye));
        } catch (Exception e) {
            log.debug("BYE for {} not sent: {}", callId, e.toString());
        } finally {
            edge.forgetClient(callId);
        }
    }
}
