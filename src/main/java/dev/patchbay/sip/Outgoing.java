package dev.patchbay.sip;

import dev.patchbay.call.Dialer;
import dev.patchbay.call.SipLeg;
import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SIP edge sends on its own initiative: new calls (INVITE as a UAC, with digest
 * answers to a 401/407 from the outgoing leg's credentials) and re-INVITEs on established
 * dialogs (direct media), with the responses and timeouts that belong to them.
 */
final class Outgoing implements Dialer {

    private static final Logger log = LoggerFactory.getLogger(Outgoing.class);

    private final SipEdge edge;
    private final Map<String, ClientLeg> legs = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, CompletableFuture<Optional<String>>> reinvites = new ConcurrentHashMap<>();
    private final AuthenticationHelper authentication;

    Outgoing(SipEdge edge, SipStack stack) {
        this.edge = edge;
        this.authentication = ((SipStackExt) stack).getAuthenticationHelper(this::credentials, edge.headers());
    }

    AuthenticationHelper authentication() {
        return authentication;
    }

    Optional<ClientLeg> leg(String callId) {
        return Optional.ofNullable(legs.get(callId));
    }

    void forget(String callId) {
        legs.remove(callId);
    }

    @Override
    public SipLeg dial(Dialer.Outgoing outgoing, Dialer.Listener listener) {
        try {
            var addresses = edge.addresses();
            var headers = edge.headers();
            URI target = addresses.createURI(outgoing.uri());
            String fromUser = outgoing.from().startsWith("sip:") ? outgoing.from().substring(4).replaceAll("@.*", "") : outgoing.from();
            Address from = addresses.createAddress(addresses.createSipURI(fromUser, edge.hostPort()));
            CallIdHeader callId = edge.provider().getNewCallId();
            String transport = target instanceof SipURI sip && sip.getTransportParam() != null ? sip.getTransportParam() : ListeningPoint.UDP;
            Request invite = edge.messages().createRequest(target, Request.INVITE, callId,
                    headers.createCSeqHeader(1L, Request.INVITE),
                    headers.createFromHeader(from, Long.toHexString(ThreadLocalRandom.current().nextLong())),
                    headers.createToHeader(addresses.createAddress(target), null),
                    new ArrayList<>(List.of(headers.createViaHeader(edge.publicHost(), edge.port(), transport, null))),
                    headers.createMaxForwardsHeader(70));
            invite.addHeader(edge.contact());
            for (var h : outgoing.headers().entrySet()) {
                invite.addHeader(headers.createHeader(h.getKey(), h.getValue()));
            }
            invite.setContent(outgoing.sdp(), headers.createContentTypeHeader("application", "sdp"));
            ClientLeg leg = new ClientLeg(edge, callId.getCallId(), outgoing, listener);
            legs.put(leg.callId(), leg);
            ClientTransaction ct = edge.provider().getNewClientTransaction(invite);
            leg.sent(ct);
            Thread.ofVirtual().start(() -> {   // a TCP connect may block: never on the caller's or a SIP thread
                try {
                    ct.sendRequest();
                } catch (SipException e) {
                    log.debug("INVITE to {} not sent: {}", outgoing.uri(), e.toString());
                    leg.timedOut(503);
                }
            });
            return leg;
        } catch (ParseException | SipException | InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot call " + outgoing.uri() + ": " + e.getMessage(), e);
        }
    }

    /** The credentials for a challenge to one of our INVITEs: its outgoing leg's, if it has any. */
    private UserCredentials credentials(ClientTransaction challenged, String realm) {
        ClientLeg leg = legs.get(SipRequests.callId(challenged.getRequest()));
        if (leg == null || leg.outgoing().username().isEmpty()) {
            return null;
        }
        String user = leg.outgoing().username().get();
        String password = leg.outgoing().password().orElse("");
        return new UserCredentials() {
            @Override
            public String getUserName() {
                return user;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public String getSipDomain() {
                return realm;
            }
        };
    }

    /** Our re-INVITE on an established dialog (either side's), for direct media; see {@link SipLeg#reinvite}. */
    CompletableFuture<Optional<String>> reinvite(Dialog dialog, String sdp) {
        var answer = new CompletableFuture<Optional<String>>();
        try {
            Request re = dialog.createRequest(Request.INVITE);
            re.addHeader(edge.contact());
            re.setContent(sdp, edge.headers().createContentTypeHeader("application", "sdp"));
            ClientTransaction ct = edge.provider().getNewClientTransaction(re);
            reinvites.put(ct, answer);
            dialog.sendRequest(ct);
        } catch (Exception e) {
            log.debug("re-INVITE not sent: {}", e.toString());
            answer.complete(Optional.empty());
        }
        return answer.completeOnTimeout(Optional.empty(), 8, TimeUnit.SECONDS);
    }

    /** A response to an INVITE or re-INVITE we sent. */
    void response(ResponseEvent event) {
        Response response = event.getResponse();
        var cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (cseq == null || !cseq.getMethod().equals(Request.INVITE)) {
            return;   // responses to our BYEs and CANCELs need no action
        }
        var reinvite = event.getClientTransaction() == null ? null : reinvites.get(event.getClientTransaction());
        if (reinvite != null) {
            if (response.getStatusCode() >= 200) {
                reinvites.remove(event.getClientTransaction());
                reinvite.complete(reinviteAnswer(event, cseq));
            }
            return;
        }
        ClientLeg leg = legs.get(((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId());
        if (leg != null) {
            leg.onResponse(event);
        }
    }

    private static Optional<String> reinviteAnswer(ResponseEvent event, CSeqHeader cseq) {
        Response response = event.getResponse();
        if (response.getStatusCode() >= 300) {
            return Optional.empty();
        }
        try {
            event.getDialog().sendAck(event.getDialog().createAck(cseq.getSeqNumber()));
        } catch (Exception e) {
            log.debug("ACK for a re-INVITE not sent: {}", e.toString());
        }
        byte[] body = response.getRawContent();
        return body == null ? Optional.empty() : Optional.of(new String(body, StandardCharsets.UTF_8));
    }

    /** No final answer to one of our requests in time (Timer B). */
    void timeout(ClientTransaction ct) {
        log.debug("no answer to our {}", ct == null ? "request" : ct.getRequest().getMethod());
        if (ct != null && ct.getRequest().getMethod().equals(Request.INVITE)) {
            leg(SipRequests.callId(ct.getRequest())).ifPresent(leg -> leg.timedOut(408));
            var reinvite = reinvites.remove(ct);
            if (reinvite != null) {
                reinvite.complete(Optional.empty());
            }
        }
    }
}
