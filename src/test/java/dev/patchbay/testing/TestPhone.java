package dev.patchbay.testing;

import dev.patchbay.config.PortRange;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Codec;
import dev.patchbay.media.MediaEngine;
import dev.patchbay.media.RtpStream;
import dev.patchbay.media.Sdp;
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
import java.util.concurrent.TimeUnit;
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
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

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
            stream.listen(new RtpStream.Listener() {
                @Override
                public void onAudio(short[] frame) {
                    heard.add(new Heard(System.nanoTime(), frame));
                }

                @Override
                public void onDigit(char digit) {
                    digitsHeard.add(digit);
                }
            });
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
            try {
                remoteBye.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
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
                parts.add(AudioSource.of(dev.patchbay.media.Tones.sine(120, 6000, dev.patchbay.media.Tones.dtmf(key)), 1));
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

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
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

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
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
