package dev.patchbay.sip;

import static dev.patchbay.sip.SipRequests.callId;

import dev.patchbay.call.CallRouter;
import dev.patchbay.call.Dialer;
import dev.patchbay.call.LiveCall;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's SIP user agent server on JAIN-SIP, over UDP and TCP: INVITE, ACK, BYE, CANCEL,
 * OPTIONS, re-INVITE and INFO (DTMF). The listener never blocks: each new INVITE is handed to a
 * virtual thread after 100 Trying, and calls are reached by Call-ID.
 */
public final class SipEdge implements SipListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SipEdge.class);

    private final CallRouter router;
    private final String publicHost;
    private final SipStack stack;
    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final ContactHeader contact;
    private final int port;
    private final Map<String, ServerLeg> legs = new ConcurrentHashMap<>();
    private final Registrar registrar;
    private final Outgoing outgoing;
    private final Admission admission;
    /**
     * JAIN-SIP's message threads: one per core (at least two). The listener never blocks (an INVITE's
     * routing and a REGISTER run on virtual threads), so more threads only add hand-offs; with 8 on
     * 2 cores those threads took about a fifth more CPU per call (docs/BENCHMARKS.md, session 15).
     */
    private static final int MESSAGE_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    /** {@code maxRouting}: new INVITEs in routing at once before the edge answers 503 (0: no limit; see {@link Admission}). */
    public SipEdge(String bindHost, int requestedPort, String publicHost, CallRouter router, Registrar registrar, int maxRouting) {
        this.admission = new Admission(maxRouting);
        this.router = router;
        this.registrar = registrar;
        this.publicHost = publicHost;
        this.port = requestedPort == 0 ? freePort(bindHost) : requestedPort;
        this.stack = SipStackFactory.create("patchbay-" + port, MESSAGE_THREADS);
        try {
            SipFactory factory = SipFactory.getInstance();
            this.messages = factory.createMessageFactory();
            this.headers = factory.createHeaderFactory();
            this.addresses = factory.createAddressFactory();
            ListeningPoint udp = stack.createListeningPoint(bindHost, port, ListeningPoint.UDP);
            ListeningPoint tcp = stack.createListeningPoint(bindHost, port, ListeningPoint.TCP);
            this.provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            provider.addSipListener(this);
            SipURI contactUri = addresses.createSipURI("patchbay", publicHost + ":" + port);
            this.contact = headers.createContactHeader(addresses.createAddress(contactUri));
            this.outgoing = new Outgoing(this, stack);
            stack.start();
        } catch (Exception e) {
            stack.stop();
            throw new IllegalStateException("cannot start SIP on " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
        log.info("SIP listening on {}:{} (UDP and TCP)", bindHost, port);
    }

    public int port() {
        return port;
    }

    /** A port free for both UDP and TCP, for {@code sip.port=0}. */
    public static int freePort(String host) {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0))) {
                int candidate = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(candidate, 1, InetAddress.getByName(host))) {
                    return candidate;
                } catch (IOException taken) {
                    // TCP side busy; try another
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot find a free SIP port on " + host, e);
            }
        }
        throw new IllegalStateException("no free SIP port on " + host);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        try {
            switch (request.getMethod()) {
                case Request.INVITE -> invite(event);
                case Request.ACK -> ack(request);
                case Request.BYE -> bye(event);
                case Request.CANCEL -> cancel(event);
                case Request.OPTIONS -> respond(event, Response.OK);
                case Request.INFO -> info(event);
                case Request.REGISTER -> register(event);
                default -> respond(event, Response.METHOD_NOT_ALLOWED);
            }
        } catch (RuntimeException e) {
            log.warn("failed handling {} {}", request.getMethod(), callId(request), e);
            respond(event, Response.SERVER_INTERNAL_ERROR);
        }
    }

    private void invite(RequestEvent event) {
        Request request = event.getRequest();
        String toTag = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
        if (toTag != null) {
            reinvite(event);
            return;
        }
        ServerTransaction st;
        try {
            st = event.getServerTransaction() != null ? event.getServerTransaction() : provider.getNewServerTransaction(request);
        } catch (TransactionAlreadyExistsException e) {
            return;   // a retransmission; the transaction answers it
        } catch (SipException e) {
            log.debug("cannot create a transaction for INVITE {}: {}", callId(request), e.toString());
            return;
        }
        if (!admission.enter()) {
            overloaded(st, request);
            return;
        }
        ServerLeg leg = new ServerLeg(this, st, request);
        legs.put(leg.callId(), leg);
        leg.trying();
        Thread.ofVirtual().name("invite-" + leg.callId()).start(() -> {
            Optional<Runnable> call;
            try {
                call = route(leg, request);
            } finally {
                admission.leave();   // routed: the call's own time does not count against the INVITEs in routing
            }
            call.ifPresent(Runnable::run);   // the same virtual thread carries the call to its end
        });
    }

    /** 503 with Retry-After: the node is past its limit of INVITEs in routing (no call record: the call never began here). */
    private void overloaded(ServerTransaction st, Request request) {
        try {
            Response busy = messages.createResponse(Response.SERVICE_UNAVAILABLE, request);
            busy.addHeader(headers.createRetryAfterHeader(1));
            st.sendResponse(busy);
        } catch (Exception e) {
            log.debug("could not refuse INVITE {} as overload: {}", callId(request), e.toString());
        }
    }

    /** New INVITEs answered 503 because too many were in routing already. */
    public long invitesShed() {
        return admission.shed();
    }

    private void register(RequestEvent event) {
        ServerTransaction st;
        try {
            st = event.getServerTransaction() != null ? event.getServerTransaction() : provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return;
        } catch (SipException e) {
            log.debug("cannot create a transaction for REGISTER: {}", e.toString());
            return;
        }
        Thread.ofVirtual().name("register").start(() -> registrar.handle(this, st, event.getRequest()));
    }

    /** Routes the INVITE: the call to run when it was accepted (the router attached it to the leg), else the caller was refused. */
    private Optional<Runnable> route(ServerLeg leg, Request request) {
        try {
            var invite = new CallRouter.Invite(SipRequests.dialled(request), SipRequests.caller(request), SipRequests.address(request.getRequestURI()),
                    SipRequests.body(request), SipRequests.customHeaders(request));
            return switch (router.incoming(invite, leg)) {
                case CallRouter.Decision.Refuse refuse -> {
                    leg.reject(refuse.sipStatus());
                    legs.remove(leg.callId());
                    yield Optional.empty();
                }
                case CallRouter.Decision.Accept accept -> Optional.of(accept.run());
            };
        } catch (RuntimeException e) {
            log.error("routing INVITE {} failed", leg.callId(), e);
            leg.reject(Response.SERVER_INTERNAL_ERROR);
            legs.remove(leg.callId());
            return Optional.empty();
        }
    }

    private void ack(Request request) {
        ServerLeg leg = legs.get(callId(request));
        if (leg != null) {
            leg.acked();
        }
    }

    private void bye(RequestEvent event) {
        respond(event, Response.OK);
        String id = callId(event.getRequest());
        ServerLeg leg = legs.remove(id);
        if (leg != null) {
            leg.remoteEnded();
        }
        outgoing.leg(id).ifPresent(ClientLeg::remoteBye);
    }

    private void cancel(RequestEvent event) {
        respond(event, Response.OK);
        ServerLeg leg = legs.get(callId(event.getRequest()));
        if (leg != null && leg.cancel()) {
            legs.remove(leg.callId());
        }
    }

    private void reinvite(RequestEvent event) {
        Request request = event.getRequest();
        ServerLeg leg = legs.get(callId(request));
        Optional<LiveCall> call = leg != null ? leg.call() : outgoing.leg(callId(request)).flatMap(ClientLeg::call);
        if (call.isEmpty()) {
            respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        Optional<String> answer = router.reoffer(call.get(), SipRequests.body(request));
        try {
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction() : provider.getNewServerTransaction(request);
            if (answer.isEmpty()) {
                st.sendResponse(messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                return;
            }
            Response ok = messages.createResponse(Response.OK, request);
            ok.addHeader(contact);
            ok.setContent(answer.get(), headers.createContentTypeHeader("application", "sdp"));
            st.sendResponse(ok);
        } catch (Exception e) {
            log.debug("re-INVITE {} could not be answered: {}", callId(request), e.toString());
        }
    }

    /** SIP INFO carrying DTMF ({@code application/dtmf-relay}: {@code Signal=5}). */
    private void info(RequestEvent event) {
        Request request = event.getRequest();
        respond(event, Response.OK);
        ServerLeg leg = legs.get(callId(request));
        if (leg != null) {
            SipRequests.infoDigits(request).chars().forEach(digit -> leg.call().ifPresent(c -> c.onDigit((char) digit)));
        }
    }

    void respond(RequestEvent event, int status) {
        try {
            ServerTransaction st = event.getServerTransaction();
            Response response = messages.createResponse(status, event.getRequest());
            if (st == null) {
                provider.sendResponse(response);
            } else {
                st.sendResponse(response);
            }
        } catch (Exception e) {
            log.debug("could not send {} to {}: {}", status, event.getRequest().getMethod(), e.toString());
        }
    }

    MessageFactory messages() {
        return messages;
    }

    HeaderFactory headers() {
        return headers;
    }

    ContactHeader contact() {
        return contact;
    }

    SipProvider provider() {
        return provider;
    }

    AddressFactory addresses() {
        return addresses;
    }

    /** Places outgoing calls from this edge (the router's {@link Dialer}). */
    public Dialer dialer() {
        return outgoing;
    }

    Outgoing outgoing() {
        return outgoing;
    }

    String publicHost() {
        return publicHost;
    }

    String hostPort() {
        return publicHost + ":" + port;
    }

    void forget(String callId) {
        legs.remove(callId);
    }

    void forgetClient(String callId) {
        outgoing.forget(callId);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        outgoing.response(event);
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            outgoing.timeout(event.getClientTransaction());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("SIP I/O error towards {}:{}", event.getHost(), event.getPort());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        Dialog dialog = event.getDialog();
        if (dialog != null && dialog.getCallId() != null) {
            ServerLeg leg = legs.remove(dialog.getCallId().getCallId());
            if (leg != null) {
                leg.remoteEnded();
            }
        }   // client legs end by BYE, final responses or timeouts; a dialog ending alone changes nothing for them
    }

    @Override
    public void close() {
        stack.stop();
    }
}
