package dev.patchbay.call;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.media.Codec;
import dev.patchbay.media.MediaException;
import dev.patchbay.media.RtpStream;
import dev.patchbay.media.Sdp;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.VoiceSettings;
import dev.patchbay.store.Sids;
import dev.patchbay.twiml.Verb;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Calls placed through REST ({@code POST .../Calls}): the callee is dialed (through a trunk,
 * directly, or at a registered client), and once it answers the call runs its instructions in
 * application mode on its own virtual thread, exactly like an incoming call.
 */
public final class Outbound {

    private final CallServices services;
    private final LiveCalls live;
    private final CallProgress progress;
    private final Destinations destinations;
    private final CallRouter router;

    Outbound(CallServices services, LiveCalls live, CallProgress progress, Destinations destinations, CallRouter router) {
        this.services = services;
        this.live = live;
        this.progress = progress;
        this.destinations = destinations;
        this.router = router;
    }

    /**
     * What to call and what to run once answered: {@code instructions} is a fetch of the URL or
     * TwiML given inline; {@code target} carries the fallback and status callback settings.
     */
    public record Request(String to, String from, Outcome instructions, VoiceTarget target, int timeoutSeconds, int timeLimitSeconds,
                          Optional<String> sendDigits, Optional<BigDecimal> maxPrice) {

        /** The same request with a cost limit: the call ends when it has cost {@code value}. */
        public Request withMaxPrice(Optional<BigDecimal> value) {
            return new Request(to, from, instructions, target, timeoutSeconds, timeLimitSeconds, sendDigits, value);
        }

        /** The request for a URL (Url or an Application's VoiceUrl) or inline TwiML, with Twilio's defaults applied by the caller. */
        public static Request of(String to, String from, Optional<String> url, HttpMethod method, Optional<List<Verb>> twiml,
                                 Optional<String> fallbackUrl, HttpMethod fallbackMethod, Optional<String> statusCallback,
                                 HttpMethod statusCallbackMethod, Set<VoiceSettings.CallEvent> events,
                                 int timeoutSeconds, int timeLimitSeconds, Optional<String> sendDigits) {
            String module = url.orElse("twiml:inline");
            Outcome first = twiml.<Outcome>map(v -> new Outcome.Inline(v, url.orElse(""))).orElseGet(() -> new Outcome.Fetch(module, method, List.of()));
            return new Request(to, from, first, new VoiceTarget(module, method, fallbackUrl, fallbackMethod, statusCallback,
                    statusCallbackMethod, events), timeoutSeconds, timeLimitSeconds, sendDigits, Optional.empty());
        }
    }

    LiveCall place(Account account, Request request) {
        Verb.DialTarget target = request.to().regionMatches(true, 0, "sip:", 0, 4)
                ? new Verb.DialTarget.Sip(request.to(), Optional.empty(), Optional.empty(), Optional.empty(), HttpMethod.POST, Verb.Callback.NONE)
                : request.to().regionMatches(true, 0, "client:", 0, 7)
                ? new Verb.DialTarget.Client(request.to().substring(7), Optional.empty(), HttpMethod.POST, Verb.Callback.NONE)
                : new Verb.DialTarget.Number(request.to(), Optional.empty(), Optional.empty(), HttpMethod.POST, Verb.Callback.NONE);
        Destinations.Resolved resolved = destinations.resolve(account.sid(), List.of(target));
        if (resolved.destinations().isEmpty()) {
            throw new PatchbayException.InvalidParameter(21210, "To " + request.to() + " cannot be reached: "
                    + String.join("; ", resolved.problems()));
        }
        Destination destination = resolved.destinations().getFirst();
        RtpStream stream;
        try {
            stream = services.media().open();
        } catch (MediaException e) {
            throw new PatchbayException.Conflict(20429, "This node has no free media ports; try again later");
        }
        stream.sendAudio(false);
        String sid = Sids.next("CA");
        String offer = Sdp.offer(services.publicHost(), stream.localPort(), Codec.PCMU, services.clock().millis() / 1000);
        OwnLeg listener = new OwnLeg();
        SipLeg leg;
        try {
            leg = services.dialer().get().dial(new Dialer.Outgoing(destination.uri(), request.from(), offer, destination.username(),
                    destination.password(), Map.of()), listener);
        } catch (IllegalArgumentException e) {
            stream.close();
            throw new PatchbayException.InvalidParameter(21211, "Invalid 'To': " + e.getMessage());
        }
        LiveCall call = new LiveCall(sid, Optional.empty(), account, Optional.empty(), request.from(), destination.to(), "outbound-api",
                Map.of(), leg, stream, "");
        request.maxPrice().ifPresent(call::limitCost);
        listener.bind(call);
        leg.attach(call);
        Instant now = services.clock().instant();
        try {
            services.calls().insert(new CallRecord(sid, account.sid(), Optional.empty(), Optional.empty(), destination.to(), request.from(),
                    "outbound-api", CallStatus.QUEUED, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(leg.callId()), services.nodeId(), now, now));
        } catch (RuntimeException e) {
            leg.hangup();
            stream.close();
            throw e;
        }
        live.add(call);
        Thread.ofVirtual().name("call-" + sid).start(() -> router.run(call, request.target(), () -> ring(call, request)));
        return call;
    }

    /** Waits for the callee; once answered, runs the instructions. Returns the refusal when it never answers. */
    private Optional<CallRouter.Refusal> ring(LiveCall call, Request request) {
        progress.initiated(call, request.target());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(request.timeoutSeconds());
        while (true) {
            Optional<CallEvent> event = call.next(Duration.ofNanos(deadline - System.nanoTime()));
            if (event.isEmpty()) {
                return Optional.of(new CallRouter.Refusal(CallStatus.NO_ANSWER, 487));
            }
            if (!(event.get() instanceof CallEvent.Leg e) || e.dialing() != null) {
                continue;
            }
            switch (e.kind()) {
                case RINGING -> {
                    services.calls().ringing(call.sid());
                    progress.ringing(call, request.target());
                }
                case FAILED -> {
                    return Optional.of(new CallRouter.Refusal(Bridge.statusFor(e.sipStatus()), e.sipStatus()));
                }
                case ANSWERED -> {
                    return answered(call, request, e.sdp());
                }
                case HUNG_UP -> throw new CallEnded();
            }
        }
    }

    private Optional<CallRouter.Refusal> answered(LiveCall call, Request request, String sdp) {
        try {
            Bridge.useAnswer(call.stream(), sdp);
        } catch (MediaException e) {
            services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.ERROR, 13227,
                    "the callee's SDP answer is unusable: " + e.getMessage(), Optional.empty(), Optional.empty());
            return Optional.of(new CallRouter.Refusal(CallStatus.FAILED, 488));
        }
        Instant now = services.clock().instant();
        call.answeredByCallee(now);
        services.segments().answered(call, Mode.APPLICATION, Controller.app(request.target().url()), "answer");
        progress.answered(call, request.target());
        request.sendDigits().ifPresent(d -> call.stream().sendDigits(d).orTimeout(60, TimeUnit.SECONDS).join());
        Thread limiter = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(request.timeLimitSeconds()));
                call.terminate("event:time-limit");
            } catch (InterruptedException ended) {
                // the call ended first
            }
        });
        try {
            router.interpreter(call, request.target()).run(request.instructions());
        } finally {
            limiter.interrupt();
        }
        return Optional.empty();
    }

    /** The outgoing call's own leg: its progress becomes events for the call's thread. */
    private static final class OwnLeg implements Dialer.Listener {
        private LiveCall call;
        private final List<CallEvent> early = new ArrayList<>();

        /** The call exists now: events that came before it are handed over in order. */
        synchronized void bind(LiveCall c) {
            call = c;
            early.forEach(c::post);
            early.clear();
        }

        private synchronized void post(CallEvent.Leg.Kind kind, int status, String sdp) {
            CallEvent e = new CallEvent.Leg(null, kind, status, sdp);
            if (call != null) {
                call.post(e);
            } else {
                early.add(e);
            }
        }

        @Override
        public void ringing() {
            post(CallEvent.Leg.Kind.RINGING, 180, "");
        }

        @Override
        public void answered(String sdp) {
            post(CallEvent.Leg.Kind.ANSWERED, 200, sdp);
        }

        @Override
        public void failed(int sipStatus) {
            post(CallEvent.Leg.Kind.FAILED, sipStatus, "");
        }

        @Override
        public void hungUp() {
            post(CallEvent.Leg.Kind.HUNG_UP, 0, "");
        }
    }
}
