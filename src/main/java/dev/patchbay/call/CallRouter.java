package dev.patchbay.call;

import dev.patchbay.account.Account;
import dev.patchbay.account.Accounts;
import dev.patchbay.media.Codec;
import dev.patchbay.media.MediaException;
import dev.patchbay.media.RtpStream;
import dev.patchbay.media.Sdp;
import dev.patchbay.number.Applications;
import dev.patchbay.number.IncomingNumber;
import dev.patchbay.number.Numbers;
import dev.patchbay.store.Sids;
import dev.patchbay.twiml.Verb;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an incoming call is decided: which number it reached, whether its account may take it,
 * whether its media is acceptable; then the call gets its SID, its record, its media stream
 * and its own virtual thread running the application.
 */
public final class CallRouter {

    private static final Logger log = LoggerFactory.getLogger(CallRouter.class);

    private final CallServices services;
    private final Map<String, LiveCall> live = new ConcurrentHashMap<>();
    private final CallProgress progress;
    private final Directory directory;

    public CallRouter(CallServices services, Accounts accounts, Numbers numbers, Applications applications) {
        this.services = services;
        this.progress = new CallProgress(services);
        this.directory = new Directory(numbers, accounts, applications, services.clock());
    }

    /** An INVITE as the router needs it. {@code sipHeaders} are the custom {@code X-} headers. */
    public record Invite(String requestUser, String from, String to, String sdp, Map<String, String> sipHeaders) {
    }

    /** The decision on an INVITE: a SIP error, or a live call now ringing. */
    public sealed interface Decision {
        record Refuse(int sipStatus, String reason) implements Decision {
        }

        record Accept(LiveCall call) implements Decision {
        }
    }

    public Decision incoming(Invite invite, SipLeg leg) {
        Optional<Directory.Entry> entry = directory.lookup(invite.requestUser());
        if (entry.isEmpty()) {
            return new Decision.Refuse(404, "No number " + invite.requestUser());
        }
        Optional<IncomingNumber> number = Optional.of(entry.get().number());
        Account account = entry.get().account();
        if (!account.isActive()) {
            return new Decision.Refuse(403, "Account not active");
        }
        Sdp offer;
        try {
            offer = Sdp.parse(invite.sdp());
        } catch (MediaException e) {
            return new Decision.Refuse(488, "Not Acceptable Here: " + e.getMessage());
        }
        Optional<Codec> codec = offer.preferredCodec();
        if (codec.isEmpty()) {
            return new Decision.Refuse(488, "Not Acceptable Here: PCMU or PCMA required");
        }
        Optional<VoiceTarget> target = target(number.get(), entry.get().voice());
        if (target.isEmpty()) {
            services.notifications().record(account.sid(), Optional.empty(), Notifications.ERROR, 11200,
                    "Number " + number.get().phoneNumber() + " has no VoiceUrl or application to answer it", Optional.empty(), Optional.empty());
            return new Decision.Refuse(480, "No application for this number");
        }
        RtpStream stream;
        try {
            stream = services.media().open();
        } catch (MediaException e) {
            log.warn("refusing a call: {}", e.getMessage());
            return new Decision.Refuse(503, "Media ports exhausted");
        }
        String answerSdp = applyOffer(stream, offer, codec.get(), 101);
        stream.sendAudio(false);
        Instant now = services.clock().instant();
        String sid = Sids.next("CA");
        LiveCall call = new LiveCall(sid, account, Optional.of(number.get().sid()), invite.from(), invite.to(), "inbound",
                invite.sipHeaders(), leg, stream, answerSdp);
        try {
            services.calls().insert(new CallRecord(sid, account.sid(), Optional.empty(), Optional.of(number.get().sid()), invite.to(),
                    invite.from(), "inbound", CallStatus.RINGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(leg.callId()), services.nodeId(), now, now));
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        live.put(sid, call);
        leg.attach(call);
        progress.initiated(call, target.get());
        leg.ringing();
        progress.ringing(call, target.get());
        Thread.ofVirtual().name("call-" + sid).start(() -> run(call, target.get()));
        return new Decision.Accept(call);
    }

    /** The SIP edge's view of a re-INVITE: new remote media for the call's stream; returns our SDP answer. */
    public Optional<String> reoffer(LiveCall call, String sdp) {
        Sdp offer;
        try {
            offer = Sdp.parse(sdp);
        } catch (MediaException e) {
            return Optional.empty();
        }
        Optional<Codec> codec = offer.preferredCodec();
        if (codec.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(applyOffer(call.stream(), offer, codec.get(), call.stream().telephoneEventPt()));
    }

    /** Points the stream at the offer's media (sending unless the peer holds us) and returns our SDP answer. */
    private String applyOffer(RtpStream stream, Sdp offer, Codec codec, int defaultTelephoneEvent) {
        int telephoneEvent = offer.telephoneEvent().orElse(defaultTelephoneEvent);
        boolean send = offer.direction() == Sdp.Direction.SENDRECV || offer.direction() == Sdp.Direction.RECVONLY;
        stream.configure(new InetSocketAddress(offer.address(), offer.port()), codec, telephoneEvent, send);
        return Sdp.describe(services.publicHost(), stream.localPort(), codec, telephoneEvent, offer.direction().answer(),
                services.clock().millis() / 1000);
    }

    public Optional<LiveCall> find(String sid) {
        return Optional.ofNullable(live.get(sid));
    }

    public int liveCalls() {
        return live.size();
    }

    private Optional<VoiceTarget> target(IncomingNumber number, dev.patchbay.number.VoiceSettings voice) {
        var callbackSettings = number.voice().statusCallback().isPresent() ? number.voice() : voice;
        return voice.url().map(url -> new VoiceTarget(url, voice.method(), voice.fallbackUrl(), voice.fallbackMethod(),
                callbackSettings.statusCallback(), callbackSettings.statusCallbackMethod(), callbackSettings.statusCallbackEvents()));
    }

    private void run(LiveCall call, VoiceTarget target) {
        call.runsOn(Thread.currentThread());
        Optional<Verb.Reject> rejected = Optional.empty();
        boolean failed = false;
        try {
            rejected = new Interpreter(services, call, target, () -> progress.answered(call, target)).run();
        } catch (CallEnded ended) {
            // the far end hung up; nothing more to do for the application
        } catch (RuntimeException e) {
            failed = true;
            log.error("call {} failed", call.sid(), e);
        } finally {
            finish(call, target, rejected, failed);
        }
    }

    private void finish(LiveCall call, VoiceTarget target, Optional<Verb.Reject> rejected, boolean failed) {
        Instant endedAt = services.clock().instant();
        boolean remoteEnded = call.isEnded() && !call.wasTerminated();
        call.endLocally();
        CallStatus status;
        int sipCode;
        if (rejected.isPresent()) {
            status = rejected.get().reason().equals("busy") ? CallStatus.BUSY : CallStatus.NO_ANSWER;
            sipCode = rejected.get().sipStatus();
            call.leg().reject(sipCode);
        } else if (call.isAnswered()) {
            status = CallStatus.COMPLETED;
            sipCode = 200;
            if (!remoteEnded) {
                call.leg().hangup();
            }
        } else if (remoteEnded) {
            status = CallStatus.CANCELED;
            sipCode = 487;
        } else {
            status = failed ? CallStatus.FAILED : CallStatus.COMPLETED;
            sipCode = 480;
            call.leg().hangup();
        }
        call.stream().close();
        live.remove(call.sid());
        boolean recorded;
        try {
            recorded = services.calls().finish(call.sid(), status, endedAt, call.answeredAt());
        } catch (RuntimeException e) {
            log.error("call {}: cannot record its end", call.sid(), e);
            return;
        }
        if (recorded) {
            progress.completed(call, target, status, CallRecord.durationSeconds(call.answeredAt(), endedAt), sipCode);
        }
    }

    /** Ends every live call with a BYE (node shutdown), waiting up to {@code wait} for them to finish. */
    public void terminateAll(java.time.Duration wait) {
        live.values().forEach(LiveCall::terminate);
        long deadline = System.nanoTime() + wait.toNanos();
        while (!live.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
