package dev.patchbay.call;

import dev.patchbay.account.Account;
import dev.patchbay.account.Accounts;
import dev.patchbay.linking.Flow;
import dev.patchbay.media.Codec;
import dev.patchbay.media.MediaException;
import dev.patchbay.media.RtpStream;
import dev.patchbay.media.Sdp;
import dev.patchbay.number.Applications;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.IncomingNumber;
import dev.patchbay.number.Numbers;
import dev.patchbay.number.VoiceSettings;
import dev.patchbay.store.Sids;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an incoming call is decided: which number it reached, whether its account may take it,
 * whether its media is acceptable; then the call gets its SID, its record, its media stream
 * and its own virtual thread, which runs the application or bridges to the number's endpoint.
 */
public final class CallRouter {

    private static final Logger log = LoggerFactory.getLogger(CallRouter.class);

    private final CallServices services;
    private final LiveCalls live;
    private final CallProgress progress;
    private final Directory directory;
    private final Bridge bridge;
    private final Destinations destinations;
    private final DialExecutor dial;
    private final Outbound outbound;

    public CallRouter(CallServices services, LiveCalls live, Accounts accounts, Numbers numbers, Applications applications) {
        this.services = services;
        this.live = live;
        this.progress = new CallProgress(services);
        this.directory = new Directory(numbers, accounts, applications, services.clock(), services.spending()::hasFloor);
        this.bridge = new Bridge(services, live);
        this.destinations = new Destinations(services.trunks(), services.sipDomains());
        this.dial = new DialExecutor(services, bridge, destinations);
        this.outbound = new Outbound(services, live, progress, destinations, this);
    }

    /** An INVITE as the router needs it. {@code sipHeaders} are the custom {@code X-} headers. */
    public record Invite(String requestUser, String from, String to, String sdp, Map<String, String> sipHeaders) {
    }

    /**
     * The decision on an INVITE: a SIP error, or a live call now ringing, whose instructions
     * {@code run} carries out (blocking, until the call ends) on the thread that routed it: one
     * virtual thread per call, from INVITE to hang-up.
     */
    public sealed interface Decision {
        record Refuse(int sipStatus, String reason) implements Decision {
        }

        record Accept(LiveCall call, Runnable run) implements Decision {
        }
    }

    /** How a call ended without being answered: its final status and the SIP status the caller got. */
    record Refusal(CallStatus status, int sipStatus) {
    }

    public Decision incoming(Invite invite, SipLeg leg) {
        Optional<Directory.Entry> entry = directory.lookup(invite.requestUser());
        if (entry.isEmpty()) {
            return new Decision.Refuse(404, "No number " + invite.requestUser());
        }
        IncomingNumber number = entry.get().number();
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
        VoiceTarget callbacks = target(number, entry.get().voice());
        Optional<String> endpoint = number.voiceEndpoint();
        Optional<String> moduleSid = number.voiceModuleSid();
        Optional<String> flowSid = number.voiceFlowSid();
        if (entry.get().limited() && moduleSid.isEmpty() && flowSid.isEmpty()) {   // a module's hand-off asks the policy engine instead
            String mode = endpoint.isPresent() ? "basic" : "application";
            if (!services.spending().affords(account.sid(), "mode:" + mode, services.meter().modePlan(mode))) {
                return new Decision.Refuse(402, "Payment Required: the account's balance does not pay for the call");
            }
        }
        if (callbacks.url().isEmpty() && endpoint.isEmpty() && moduleSid.isEmpty() && flowSid.isEmpty()) {
            services.notifications().record(account.sid(), Optional.empty(), Notifications.ERROR, 11200,
                    "Number " + number.phoneNumber() + " has no VoiceUrl, application or endpoint to answer it", Optional.empty(), Optional.empty());
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
        LiveCall call = new LiveCall(sid, Optional.empty(), account, Optional.of(number.sid()), invite.from(), invite.to(), "inbound",
                invite.sipHeaders(), leg, stream, answerSdp);
        number.maxPrice().ifPresent(call::limitCost);
        try {
            services.calls().insert(new CallRecord(sid, account.sid(), Optional.empty(), Optional.of(number.sid()), invite.to(),
                    invite.from(), "inbound", CallStatus.RINGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(leg.callId()), services.nodeId(), now, now));
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        live.add(call);
        leg.attach(call);
        progress.initiated(call, callbacks);
        leg.ringing();
        progress.ringing(call, callbacks);
        Body body;
        if (endpoint.isPresent()) {
            body = () -> bridgeToEndpoint(call, callbacks, endpoint.get(), number.voiceEndpointHangupUrl());
        } else if (moduleSid.isPresent() || flowSid.isPresent()) {
            body = () -> runLinked(call, callbacks, moduleSid, flowSid);
        } else {
            body = () -> interpreter(call, callbacks).run()
                    .map(r -> new Refusal(r.reason().equals("busy") ? CallStatus.BUSY : CallStatus.NO_ANSWER, r.sipStatus()));
        }
        return new Decision.Accept(call, () -> {
            Thread.currentThread().setName("call-" + sid);
            run(call, callbacks, body);
        });
    }

    /** Places an outgoing call (REST {@code POST .../Calls}); it runs its instructions once answered. */
    public LiveCall originate(Account account, Outbound.Request request) {
        return outbound.place(account, request);
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

    /**
     * Takes a caller waiting on this node out of its queue to run the document at {@code url}
     * (REST's dequeue); false when the caller is not waiting here.
     */
    public boolean dequeue(String queueSid, String callSid, String url, HttpMethod method) {
        return services.queues().take(queueSid, callSid)
                .map(member -> member.call.redirect(new Outcome.Fetch(url, method, List.of()), "rest:dequeue")).orElse(false);
    }

    public Optional<LiveCall> find(String sid) {
        return live.find(sid);
    }

    public int liveCalls() {
        return live.size();
    }

    /** The number's voice settings as a target; its URL is empty for an endpoint-routed number. */
    private static VoiceTarget target(IncomingNumber number, VoiceSettings voice) {
        var callbackSettings = number.voice().statusCallback().isPresent() ? number.voice() : voice;
        return new VoiceTarget(voice.url().orElse(""), voice.method(), voice.fallbackUrl(), voice.fallbackMethod(),
                callbackSettings.statusCallback(), callbackSettings.statusCallbackMethod(), callbackSettings.statusCallbackEvents());
    }

    /**
     * A number routed to a module or a flow: the first hand-off goes through the dispatcher and the
     * policy engine like every other. A flow runs at the version in force now, for the whole call.
     */
    private Optional<Refusal> runLinked(LiveCall call, VoiceTarget callbacks, Optional<String> moduleSid, Optional<String> flowSid) {
        Controller start;
        Outcome first;
        if (flowSid.isPresent()) {
            Optional<Flow> flow = services.linking().flows().current(call.account().sid(), flowSid.get());
            if (flow.isEmpty()) {
                services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.ERROR, 11200,
                        "Flow " + flowSid.get() + " does not exist", Optional.empty(), Optional.empty());
                return Optional.of(new Refusal(CallStatus.FAILED, 480));
            }
            FlowRun run = new FlowRun(flow.get().sid(), flow.get().version(), flow.get().definition());
            start = new Controller("flow:" + run.sid(), Optional.empty(), Optional.of(run), Optional.empty());
            first = new Outcome.Fetch(Links.NODE + run.definition().entry(), HttpMethod.POST, List.of());
        } else {
            start = Controller.app("module:" + moduleSid.get());
            first = new Outcome.Fetch(Links.MODULE + moduleSid.get(), HttpMethod.POST, List.of());
        }
        return new Interpreter(services, call, callbacks, dial, () -> progress.answered(call, callbacks), start).run(first)
                .map(r -> new Refusal(r.reason().equals("busy") ? CallStatus.BUSY : CallStatus.NO_ANSWER, r.sipStatus()));
    }

    Interpreter interpreter(LiveCall call, VoiceTarget target) {
        return new Interpreter(services, call, target, dial, () -> progress.answered(call, target));
    }

    /**
     * Direct routing: the number's endpoint is called and, once it answers, the caller is
     * answered and bridged in basic mode. When the endpoint hangs up, {@code onHangupUrl} (if
     * set) takes the caller over in application mode; otherwise the call ends.
     */
    private Optional<Refusal> bridgeToEndpoint(LiveCall call, VoiceTarget callbacks, String endpoint, Optional<String> onHangupUrl) {
        Destinations.Resolved resolved = destinations.endpoint(call.account().sid(), endpoint);
        resolved.problems().forEach(p -> services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.ERROR,
                13225, "VoiceEndpoint: " + p, Optional.empty(), Optional.empty()));
        Bridge.Connection connection = resolved.destinations().isEmpty()
                ? new Bridge.Connection.NotConnected("failed", 404)
                : bridge.connect(call, resolved.destinations(), Duration.ofSeconds(60), call.from(), Optional.empty());
        if (connection instanceof Bridge.Connection.NotConnected nc) {
            return Optional.of(new Refusal(nc.callStatus(), nc.sipStatus() == 487 ? 480 : nc.sipStatus()));
        }
        Bridge.Dialing leg = ((Bridge.Connection.Connected) connection).leg();
        boolean calleeHungUp = false;
        Outcome next;
        String reason;
        try {
            if (call.answer(services.clock().instant())) {
                services.segments().answered(call, Mode.BASIC, Controller.app("endpoint:" + endpoint), "answer");
                progress.answered(call, callbacks);
            }
            Bridge.End end = bridge.hold(call, leg, Duration.ofHours(4), false, Optional.empty(), Duration.ZERO);
            calleeHungUp = end == Bridge.End.CALLEE_HANGUP;
            if (!calleeHungUp || onHangupUrl.isEmpty()) {
                return Optional.empty();
            }
            next = new Outcome.Fetch(onHangupUrl.get(), HttpMethod.POST, List.of());
            reason = end.reason;
        } catch (Redirected redirect) {
            next = redirect.instructions();
            reason = redirect.reason();
        } finally {
            bridge.release(leg, calleeHungUp);
        }
        String module = next instanceof Outcome.Fetch f ? f.url() : "twiml:inline";
        services.segments().transition(call, Mode.APPLICATION, Controller.app(module), reason);
        VoiceTarget app = new VoiceTarget(module, HttpMethod.POST, Optional.empty(), HttpMethod.POST, callbacks.statusCallback(),
                callbacks.statusCallbackMethod(), callbacks.statusCallbackEvents());
        interpreter(call, app).run(next);
        return Optional.empty();
    }

    /** What a call's thread runs: returns how the call was refused, if it was. */
    interface Body {
        Optional<Refusal> run();
    }

    void run(LiveCall call, VoiceTarget callbacks, Body body) {
        call.runsOn(Thread.currentThread());
        call.reportsTo(callbacks);
        Optional<Refusal> refused = Optional.empty();
        boolean failed = false;
        try {
            refused = body.run();
        } catch (CallEnded ended) {
            // the far end hung up or the call was ended from outside; nothing more to run
        } catch (Redirected late) {
            // instructions that arrived as the call was ending
        } catch (RuntimeException e) {
            failed = true;
            log.error("call {} failed", call.sid(), e);
        } finally {
            finish(call, callbacks, refused, failed);
        }
    }

    private void finish(LiveCall call, VoiceTarget callbacks, Optional<Refusal> refused, boolean failed) {
        Instant endedAt = services.clock().instant();
        boolean terminated = call.wasTerminated();
        boolean remoteEnded = call.isEnded() && !terminated;
        call.endLocally();
        CallStatus status;
        int sipCode;
        if (refused.isPresent() && !call.isAnswered()) {
            status = refused.get().status();
            sipCode = refused.get().sipStatus();
            call.leg().reject(sipCode);
        } else if (call.isAnswered()) {
            status = CallStatus.COMPLETED;
            sipCode = 200;
            if (!remoteEnded) {
                call.leg().hangup();
            }
        } else if (remoteEnded || terminated) {
            status = CallStatus.CANCELED;
            sipCode = 487;
            if (terminated) {
                call.leg().hangup();
            }
        } else {
            status = failed ? CallStatus.FAILED : CallStatus.COMPLETED;
            sipCode = 480;
            call.leg().hangup();
        }
        call.stream().close();
        boolean recorded;
        try {
            if (call.mode().isPresent()) {   // the last segment closes with the call row's end, in one transaction
                String reason = terminated ? call.terminationReason() : remoteEnded ? "hangup:caller" : "hangup:application";
                recorded = services.segments().close(call, reason, endedAt, Calls.finishRow(call.sid(), status, endedAt, call.answeredAt()));
            } else {
                recorded = services.calls().finish(call.sid(), status, endedAt, call.answeredAt());
            }
        } catch (RuntimeException e) {
            log.error("call {}: cannot record its end", call.sid(), e);
            return;
        } finally {
            live.remove(call);
        }
        // a call that had segments: closing the last handed it to the rating queue, which charges
        // it (its price their sum) and then gives back its reservation
        if (recorded) {
            progress.completed(call, callbacks, status, CallRecord.durationSeconds(call.answeredAt(), endedAt), sipCode);
        }
    }

    /** Ends every live call with a BYE (node shutdown), waiting up to {@code wait} for them to finish. */
    public void terminateAll(Duration wait) {
        live.terminateAll(wait);
    }
}
