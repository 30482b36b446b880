package dev.patchbay.testing;

import static org.awaitility.Awaitility.await;

import dev.patchbay.config.PortRange;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Codec;
import dev.patchbay.media.MediaEngine;
import dev.patchbay.media.RtpStream;
import dev.patchbay.media.Sdp;
import dev.patchbay.media.Tones;
import dev.patchbay.sip.SipEdge;
import dev.patchbay.sip.SipStackFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.awaitility.Awaitility;

/**
 * A test user agent: places calls over real SIP on loopback, sends and receives real RTP through
 * the project's media code, and keeps every decoded frame it hears with its arrival time, so tests
 * can assert on the audio a caller would hear.
 */
public final class TestPhone implements SipListener, AutoCloseable {

    private final SipStack stack;
    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final int port;
    private final MediaEngine media;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<String, Incoming> incoming = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Incoming> arrivals = new LinkedBlockingQueue<>();
    private volatile Answering answering = Answering.answer();
    private volatile CompletableFuture<Response> registration;
    private volatile String[] registrationCredentials;

    public TestPhone() {
        port = SipEdge.freePort("127.0.0.1");
        stack = SipStackFactory.create("test-phone-" + port, 4);
        try {
            SipFactory f = SipFactory.getInstance();
            messages = f.createMessageFactory();
            headers = f.createHeaderFactory();
            addresses = f.createAddressFactory();
            ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.UDP);
            provider = stack.createSipProvider(lp);
            provider.addSipListener(this);
            stack.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int base = 40000 + (port % 200) * 100;
        media = new MediaEngine("127.0.0.1", new PortRange(base, base + 99));
    }

    /** One call placed by the phone. */
    public final class Call {
        private final String callId;
        private final ClientTransaction invite;
        private final RtpStream stream;
        private final CompletableFuture<Integer> finalStatus = new CompletableFuture<>();
        private final CompletableFuture<Void> remoteBye = new CompletableFuture<>();
        private final List<Heard> heard = new CopyOnWriteArrayList<>();
        private final List<Character> digitsHeard = new CopyOnWriteArrayList<>();
        private volatile Dialog dialog;

        Call(String callId, ClientTransaction invite, RtpStream stream) {
            this.callId = callId;
            this.invite = invite;
            this.stream = stream;
            stream.listen(keeping(heard, digitsHeard));
        }

        /** The final response code to the INVITE (200, 404, 486...). */
        public int awaitFinalStatus() {
            return finalStatus.orTimeout(20, TimeUnit.SECONDS).join();
        }

        public Call awaitAnswered() {
            int status = awaitFinalStatus();
            if (status != 200) {
                throw new AssertionError("the call was not answered: " + status);
            }
            return this;
        }

        public boolean awaitRemoteHangup(Duration timeout) {
            return completesWithin(remoteBye, timeout);
        }

        public boolean remoteHungUp() {
            return remoteBye.isDone();
        }

        /** RFC 4733 digits. */
        public void sendDigits(String digits) {
            stream.sendDigits(digits).orTimeout(20, TimeUnit.SECONDS).join();
        }

        /** In-band DTMF: each key as 120 ms of its two tones, then 80 ms of silence, in the audio itself. */
        public void sendInbandDigits(String digits) {
            List<AudioSource> parts = new ArrayList<>();
            for (char key : digits.toCharArray()) {
                parts.add(AudioSource.of(Tones.sine(120, 6000, Tones.dtmf(key)), 1));
                parts.add(AudioSource.silence(80));
            }
            play(AudioSource.concat(parts.toArray(AudioSource[]::new)));
        }

        /** Sends audio and waits until it has been sent. */
        public void play(AudioSource source) {
            stream.play(source).done().orTimeout(60, TimeUnit.SECONDS).join();
        }

        public List<Heard> heard() {
            return List.copyOf(heard);
        }

        /**
         * Waits for speech heard after frame {@code from}, then for a second of quiet: the prompts
         * ended and a Gather listens (keys pressed earlier would be dropped).
         */
        public void awaitPromptThenQuiet(int from) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<Heard> all = heard();
                boolean spoke = all.stream().skip(from).anyMatch(h -> Audio.rms(h.frame()) > 300);
                return spoke && all.size() > from + 50
                        && all.subList(all.size() - 50, all.size()).stream().allMatch(h -> Audio.rms(h.frame()) < 100);
            });
        }

        public List<Character> digitsHeard() {
            return List.copyOf(digitsHeard);
        }

        public int localRtpPort() {
            return stream.localPort();
        }

        public void hangup() {
            try {
                Dialog d = dialog;
                if (d != null) {
                    Request bye = d.createRequest(Request.BYE);
                    d.sendRequest(provider.getNewClientTransaction(bye));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                stream.close();
            }
        }

        public void cancel() {
            try {
                Request cancel = invite.createCancel();
                provider.getNewClientTransaction(cancel).sendRequest();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Sends a re-INVITE with the given direction (sendonly puts Patchbay on hold); returns the answer's status. */
        public int reinvite(Sdp.Direction direction) {
            try {
                Request re = dialog.createRequest(Request.INVITE);
                re.setContent(Sdp.describe("127.0.0.1", stream.localPort(), Codec.PCMU, 101, direction, 2),
                        headers.createContentTypeHeader("application", "sdp"));
                re.addHeader(headers.createContactHeader(addresses.createAddress(addresses.createSipURI("phone", "127.0.0.1:" + port))));
                ClientTransaction ct = provider.getNewClientTransaction(re);
                reinviteStatus = new CompletableFuture<>();
                dialog.sendRequest(ct);
                return reinviteStatus.orTimeout(10, TimeUnit.SECONDS).join();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private volatile CompletableFuture<Integer> reinviteStatus;
    }

    /**
     * How the phone treats calls it receives: answer after {@code delay} in {@code codec}, ring
     * until canceled ({@link #ringForever()}), or refuse with a SIP status.
     */
    public record Answering(int rejectStatus, Duration delay, Codec codec, boolean ring) {
        public static Answering answer() {
            return new Answering(0, Duration.ZERO, Codec.PCMU, false);
        }

        public static Answering answerAfter(Duration delay) {
            return new Answering(0, delay, Codec.PCMU, false);
        }

        public static Answering answerIn(Codec codec) {
            return new Answering(0, Duration.ZERO, codec, false);
        }

        public static Answering ringForever() {
            return new Answering(0, Duration.ZERO, Codec.PCMU, true);
        }

        public static Answering reject(int status) {
            return new Answering(status, Duration.ZERO, Codec.PCMU, false);
        }
    }

    public TestPhone answering(Answering how) {
        this.answering = how;
        return this;
    }

    public int sipPort() {
        return port;
    }

    /** The SIP URI that reaches this phone as {@code user}. */
    public String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + port;
    }

    /** The next call that reached the phone, waiting up to {@code timeout}. */
    public Incoming awaitIncoming(Duration timeout) {
        try {
            Incoming in = arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (in == null) {
                throw new AssertionError("no call reached the phone within " + timeout);
            }
            return in;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean hasIncoming() {
        return !arrivals.isEmpty();
    }

    /** A call the phone received (it was the callee). */
    public final class Incoming {
        private final ServerTransaction invite;
        private final Request request;
        private final String toTag = Long.toHexString(System.nanoTime());
        private final List<Heard> heard = new CopyOnWriteArrayList<>();
        private final List<Character> digitsHeard = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> remoteBye = new CompletableFuture<>();
        private final CompletableFuture<Void> canceled = new CompletableFuture<>();
        private final CompletableFuture<Long> answeredAtMillis = new CompletableFuture<>();
        private final CompletableFuture<Void> acked = new CompletableFuture<>();
        private volatile RtpStream stream;

        Incoming(ServerTransaction invite, Request request) {
            this.invite = invite;
            this.request = request;
        }

        public String from() {
            return ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
        }

        public String requestUri() {
            return request.getRequestURI().toString();
        }

        void respond(int status, String sdp) {
            try {
                Response r = messages.createResponse(status, request);
                ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(toTag);
                if (status < 300) {
                    r.addHeader(headers.createContactHeader(addresses.createAddress(addresses.createSipURI("phone", "127.0.0.1:" + port))));
                }
                if (sdp != null) {
                    r.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
                }
                invite.sendResponse(r);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void answer(Codec codec) {
            RtpStream s = media.open();
            s.listen(keeping(heard, digitsHeard));
            Sdp offer = Sdp.parse(new String(request.getRawContent(), StandardCharsets.UTF_8));
            s.configure(new InetSocketAddress(offer.address(), offer.port()), codec, offer.telephoneEvent().orElse(101), true);
            stream = s;
            long at = System.currentTimeMillis();
            respond(Response.OK, Sdp.describe("127.0.0.1", s.localPort(), codec, offer.telephoneEvent().orElse(101),
                    Sdp.Direction.SENDRECV, 1));
            answeredAtMillis.complete(at);
        }

        /** Wall-clock millis when the phone answered. */
        public long answeredAt() {
            return answeredAtMillis.orTimeout(20, TimeUnit.SECONDS).join();
        }

        public boolean awaitRemoteHangup(Duration timeout) {
            return completesWithin(remoteBye, timeout);
        }

        public boolean awaitCanceled(Duration timeout) {
            return completesWithin(canceled, timeout);
        }

        public List<Heard> heard() {
            return List.copyOf(heard);
        }

        public List<Character> digitsHeard() {
            return List.copyOf(digitsHeard);
        }

        public void play(AudioSource source) {
            stream.play(source).done().orTimeout(60, TimeUnit.SECONDS).join();
        }

        public void sendDigits(String digits) {
            stream.sendDigits(digits).orTimeout(20, TimeUnit.SECONDS).join();
        }

        /**
         * Hangs up (BYE) once our 200 has been acknowledged, as RFC 3261 13.3.1.4 has a callee do;
         * returns the wall-clock millis the BYE was sent.
         */
        public long hangup() {
            completesWithin(acked, Duration.ofSeconds(5));   // a lost ACK: the dialog still ends
            long at = System.currentTimeMillis();
            try {
                Dialog d = invite.getDialog();
                Request bye = d.createRequest(Request.BYE);
                d.sendRequest(provider.getNewClientTransaction(bye));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                if (stream != null) {
                    stream.close();
                }
            }
            return at;
        }
    }

    /**
     * Registers {@code user@domain} with the node, answering a digest challenge with
     * {@code password}; returns the final status (200, 401 when the credentials are refused).
     */
    public Response register(String user, String domain, String password, int nodeSipPort, int expires) {
        try {
            registrationCredentials = new String[] {user, password};
            registration = new CompletableFuture<>();
            SipURI requestUri = addresses.createSipURI(null, "127.0.0.1:" + nodeSipPort);
            Address aor = addresses.createAddress(addresses.createSipURI(user, domain));
            Request register = messages.createRequest(requestUri, Request.REGISTER, provider.getNewCallId(),
                    headers.createCSeqHeader(1L, Request.REGISTER),
                    headers.createFromHeader(aor, Long.toHexString(System.nanoTime())),
                    headers.createToHeader(aor, null),
                    new ArrayList<>(List.of(headers.createViaHeader("127.0.0.1", port, "udp", null))),
                    headers.createMaxForwardsHeader(70));
            register.addHeader(headers.createContactHeader(addresses.createAddress(addresses.createSipURI(user, "127.0.0.1:" + port))));
            register.addHeader(headers.createExpiresHeader(expires));
            provider.getNewClientTransaction(register).sendRequest();
            return registration.orTimeout(10, TimeUnit.SECONDS).join();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean completesWithin(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A stream listener that keeps every frame (with its arrival time) and every digit heard. */
    private static RtpStream.Listener keeping(List<Heard> heard, List<Character> digits) {
        return new RtpStream.Listener() {
            @Override
            public void onAudio(short[] frame) {
                heard.add(new Heard(System.nanoTime(), frame));
            }

            @Override
            public void onDigit(char digit) {
                digits.add(digit);
            }
        };
    }

    /** A received 20 ms frame and when it arrived. */
    public record Heard(long nanos, short[] frame) {
    }

    public Call call(String user, int sipPort) {
        return call(user, sipPort, Map.of(), Codec.PCMU);
    }

    public Call call(String user, int sipPort, Map<String, String> extraHeaders, Codec codec) {
        return call(user, sipPort, extraHeaders, Sdp.describe("127.0.0.1", 0, codec, 101, Sdp.Direction.SENDRECV, 1));
    }

    /** Places a call with an SDP offer of our own making; {@code sdpTemplate} has port 0, replaced by the stream's. */
    public Call call(String user, int sipPort, Map<String, String> extraHeaders, String sdpTemplate) {
        RtpStream stream = media.open();
        try {
            SipURI requestUri = addresses.createSipURI(user, "127.0.0.1:" + sipPort);
            Address from = addresses.createAddress(addresses.createSipURI("+14155559999", "127.0.0.1:" + port));
            Address to = addresses.createAddress(addresses.createSipURI(user, "127.0.0.1:" + sipPort));
            CallIdHeader callId = provider.getNewCallId();
            Request invite = messages.createRequest(requestUri, Request.INVITE, callId,
                    headers.createCSeqHeader(1L, Request.INVITE),
                    headers.createFromHeader(from, Long.toHexString(System.nanoTime())),
                    headers.createToHeader(to, null),
                    List.of(headers.createViaHeader("127.0.0.1", port, "udp", null)),
                    headers.createMaxForwardsHeader(70));
            invite.addHeader(headers.createContactHeader(addresses.createAddress(addresses.createSipURI("phone", "127.0.0.1:" + port))));
            for (var h : extraHeaders.entrySet()) {
                invite.addHeader(headers.createHeader(h.getKey(), h.getValue()));
            }
            String sdp = sdpTemplate.replace("m=audio 0 ", "m=audio " + stream.localPort() + " ");
            invite.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
            ClientTransaction ct = provider.getNewClientTransaction(invite);
            Call call = new Call(callId.getCallId(), ct, stream);
            calls.put(call.callId, call);
            ct.sendRequest();
            return call;
        } catch (Exception e) {
            stream.close();
            throw new IllegalStateException(e);
        }
    }

    private boolean challengeAnswered;

    private void registerResponse(ResponseEvent event) {
        Response response = event.getResponse();
        if (response.getStatusCode() == Response.UNAUTHORIZED && !challengeAnswered && registrationCredentials != null) {
            challengeAnswered = true;
            try {
                String[] creds = registrationCredentials;
                var helper = ((gov.nist.javax.sip.SipStackExt) stack).getAuthenticationHelper((tx, realm) -> new gov.nist.javax.sip.clientauthutils.UserCredentials() {
                    public String getUserName() {
                        return creds[0];
                    }

                    public String getPassword() {
                        return creds[1];
                    }

                    public String getSipDomain() {
                        return realm;
                    }
                }, headers);
                helper.handleChallenge(response, event.getClientTransaction(), provider, 5).sendRequest();
                return;
            } catch (Exception e) {
                registration.completeExceptionally(e);
                return;
            }
        }
        challengeAnswered = false;
        if (response.getStatusCode() >= 200) {
            registration.complete(response);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        if (((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod().equals(Request.REGISTER)) {
            registerResponse(event);
            return;
        }
        String callId = ((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId();
        Call call = calls.get(callId);
        if (call == null) {
            return;
        }
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        int status = response.getStatusCode();
        if (!cseq.getMethod().equals(Request.INVITE) || status < 200) {
            return;
        }
        if (cseq.getSeqNumber() > 1) {   // a re-INVITE's answer
            try {
                if (status == 200) {
                    event.getDialog().sendAck(event.getDialog().createAck(cseq.getSeqNumber()));
                }
            } catch (Exception ignored) {
                // test phone: the assertion on the status will tell
            }
            if (call.reinviteStatus != null) {
                call.reinviteStatus.complete(status);
            }
            return;
        }
        if (status == 200) {
            try {
                Dialog dialog = event.getDialog();
                call.dialog = dialog;
                dialog.sendAck(dialog.createAck(cseq.getSeqNumber()));
                Sdp answer = Sdp.parse(new String(response.getRawContent(), StandardCharsets.UTF_8));
                call.stream.configure(new InetSocketAddress(answer.address(), answer.port()), answer.preferredCodec().orElseThrow(),
                        answer.telephoneEvent().orElse(101), true);
            } catch (Exception e) {
                call.finalStatus.completeExceptionally(e);
                return;
            }
        } else {
            call.stream.close();
        }
        call.finalStatus.complete(status);
    }

    /** Re-INVITEs received (the node moving our media elsewhere, for direct media). */
    public int reinvitesReceived() {
        return reinvites.get();
    }

    private final AtomicInteger reinvites = new AtomicInteger();

    /** A re-INVITE: send our audio where the offer says, answer with our own address. */
    private void reinvited(RequestEvent event, String callId) {
        Request request = event.getRequest();
        RtpStream stream = calls.containsKey(callId) ? calls.get(callId).stream
                : incoming.containsKey(callId) ? incoming.get(callId).stream : null;
        try {
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction() : provider.getNewServerTransaction(request);
            if (stream == null || request.getRawContent() == null) {
                st.sendResponse(messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                return;
            }
            Sdp offer = Sdp.parse(new String(request.getRawContent(), StandardCharsets.UTF_8));
            Codec codec = offer.preferredCodec().orElseThrow();
            stream.configure(new InetSocketAddress(offer.address(), offer.port()), codec, offer.telephoneEvent().orElse(101), true);
            Response ok = messages.createResponse(Response.OK, request);
            ok.addHeader(headers.createContactHeader(addresses.createAddress(addresses.createSipURI("phone", "127.0.0.1:" + port))));
            ok.setContent(Sdp.describe("127.0.0.1", stream.localPort(), codec, offer.telephoneEvent().orElse(101), Sdp.Direction.SENDRECV,
                    System.currentTimeMillis()), headers.createContentTypeHeader("application", "sdp"));
            st.sendResponse(ok);
            reinvites.incrementAndGet();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void incomingInvite(RequestEvent event) {
        Request request = event.getRequest();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        ServerTransaction st;
        try {
            st = event.getServerTransaction() != null ? event.getServerTransaction() : provider.getNewServerTransaction(request);
        } catch (Exception retransmission) {
            return;
        }
        Incoming in = new Incoming(st, request);
        incoming.put(callId, in);
        Answering how = answering;
        Thread.ofVirtual().start(() -> {
            if (how.rejectStatus() > 0) {
                in.respond(how.rejectStatus(), null);
            } else {
                in.respond(Response.RINGING, null);
                if (!how.ring()) {
                    try {
                        Thread.sleep(how.delay().toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!in.canceled.isDone()) {
                        in.answer(how.codec());
                    }
                }
            }
            arrivals.add(in);
        });
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        if (request.getMethod().equals(Request.INVITE)
                && ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null) {
            incomingInvite(event);
            return;
        }
        if (request.getMethod().equals(Request.INVITE)) {
            reinvited(event, callId);
            return;
        }
        Incoming in = incoming.get(callId);
        if (request.getMethod().equals(Request.ACK)) {
            if (in != null) {
                in.acked.complete(null);
            }
            return;
        }
        if (in != null && request.getMethod().equals(Request.CANCEL)) {
            try {
                ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction() : provider.getNewServerTransaction(request);
                st.sendResponse(messages.createResponse(Response.OK, request));
            } catch (Exception ignored) {
                // a retransmission
            }
            in.canceled.complete(null);
            in.respond(Response.REQUEST_TERMINATED, null);
            return;
        }
        if (in != null && request.getMethod().equals(Request.BYE)) {
            in.remoteBye.complete(null);
            if (in.stream != null) {
                in.stream.close();
            }
        }
        try {
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction() : provider.getNewServerTransaction(request);
            st.sendResponse(messages.createResponse(Response.OK, request));
        } catch (Exception ignored) {
            // a retransmission
        }
        Call call = calls.get(callId);
        if (call != null && request.getMethod().equals(Request.BYE)) {
            call.remoteBye.complete(null);
            call.stream.close();
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    @Override
    public void close() {
        media.close();
        stack.stop();
    }
}
