package dev.patchbay.call;

import dev.patchbay.media.AudioSource;
import dev.patchbay.media.BridgeRecorder;
import dev.patchbay.media.Codec;
import dev.patchbay.media.MediaException;
import dev.patchbay.media.RtpStream;
import dev.patchbay.media.Sdp;
import dev.patchbay.media.Tones;
import dev.patchbay.store.Sids;
import dev.patchbay.webhook.WebhookRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The basic mode: ring parties for a call, keep the first to answer, and join the two legs'
 * media in the RTP relay until one side ends it. Knows nothing of TwiML: Dial and direct routing
 * both drive it from the call's own thread, which owns every dialed leg and ends each one.
 */
final class Bridge {

    private static final Logger log = LoggerFactory.getLogger(Bridge.class);

    private final CallServices services;
    private final LiveCalls live;
    private final DirectMedia directMedia;

    Bridge(CallServices services, LiveCalls live) {
        this.services = services;
        this.live = live;
        this.directMedia = new DirectMedia(services);
    }

    /** How ringing ended: a leg answered, or nobody did ({@code dialStatus} as Twilio's DialCallStatus). */
    sealed interface Connection {
        record Connected(Dialing leg) implements Connection {
        }

        /** {@code dialSid} names the one leg dialed, when there was exactly one (Twilio's DialCallSid). */
        record NotConnected(String dialStatus, int sipStatus, Optional<String> dialSid) implements Connection {
            NotConnected(String dialStatus, int sipStatus) {
                this(dialStatus, sipStatus, Optional.empty());
            }

            /** The final status of a caller nobody answered for (direct routing). */
            CallStatus callStatus() {
                return switch (dialStatus) {
                    case "busy" -> CallStatus.BUSY;
                    case "no-answer" -> CallStatus.NO_ANSWER;
                    default -> CallStatus.FAILED;
                };
            }
        }
    }

    /** Why a bridge ended. */
    enum End {
        CALLEE_HANGUP("event:callee-hangup"), HANGUP_ON_STAR("event:hangup-on-star"), TIME_LIMIT("event:time-limit");

        final String reason;

        End(String reason) {
            this.reason = reason;
        }
    }

    /** One dialed leg while it rings and talks; owned by the dialing call's thread. */
    final class Dialing implements Dialer.Listener {
        final Destination destination;
        final LiveCall parent;
        volatile LiveCall child;
        CallStatus status = CallStatus.RINGING;
        int sipStatus;

        Dialing(Destination destination, LiveCall parent) {
            this.destination = destination;
            this.parent = parent;
        }

        LiveCall child() {
            return child;
        }

        @Override
        public void ringing() {
            parent.post(new CallEvent.Leg(this, CallEvent.Leg.Kind.RINGING, 180, ""));
        }

        @Override
        public void answered(String sdp) {
            parent.post(new CallEvent.Leg(this, CallEvent.Leg.Kind.ANSWERED, 200, sdp));
        }

        @Override
        public void failed(int sipStatus) {
            parent.post(new CallEvent.Leg(this, CallEvent.Leg.Kind.FAILED, sipStatus, ""));
        }

        @Override
        public void hungUp() {
            parent.post(new CallEvent.Leg(this, CallEvent.Leg.Kind.HUNG_UP, 0, ""));
        }
    }

    /**
     * Rings every destination at once for up to {@code timeout}; the first to answer is kept and
     * the others are canceled. {@code ringback} plays to the caller meanwhile (an answered caller).
     * Throws {@link CallEnded} or {@link Redirected} as the call does, after ending every leg.
     */
    Connection connect(LiveCall call, List<Destination> destinations, Duration timeout, String callerId, Optional<AudioSource> ringback) {
        List<Dialing> ringingLegs = new ArrayList<>();
        Dialing winner = null;
        try {
            for (Destination d : destinations) {
                start(call, d, callerId).ifPresent(ringingLegs::add);
            }
            ringback.ifPresent(call::startPlayback);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (winner == null && ringingLegs.stream().anyMatch(l -> l.status == CallStatus.RINGING)) {
                Optional<CallEvent> event = call.next(Duration.ofNanos(deadline - System.nanoTime()));
                if (event.isEmpty()) {
                    break;   // nobody answered in time
                }
                if (!(event.get() instanceof CallEvent.Leg e) || !ringingLegs.contains(e.dialing()) || e.dialing().status != CallStatus.RINGING) {
                    continue;   // not ours, or a late word from a leg that has already ended
                }
                Dialing leg = e.dialing();
                switch (e.kind()) {
                    case RINGING -> progress(leg, "ringing", "ringing", List.of());
                    case ANSWERED -> {
                        if (accept(leg, e.sdp())) {
                            winner = leg;
                        }
                    }
                    case FAILED -> {
                        log.debug("call {}: {} failed with {}", call.sid(), leg.destination.uri(), e.sipStatus());
                        end(leg, statusFor(e.sipStatus()), e.sipStatus());
                    }
                    case HUNG_UP -> {   // answered and hung up before its 200 reached us: still an answered call
                        answered(leg);
                        end(leg, CallStatus.COMPLETED, 200);
                    }
                }
            }
        } finally {
            if (ringback.isPresent()) {
                call.stream().stopPlayback();
            }
            for (Dialing leg : ringingLegs) {
                if (leg != winner && leg.status.isLive()) {
                    leg.child.leg().hangup();   // CANCEL the losers (or BYE one that answered too late)
                    end(leg, winner != null || call.isEnded() ? CallStatus.CANCELED : CallStatus.NO_ANSWER, 487);
                }
            }
        }
        if (winner != null) {
            return new Connection.Connected(winner);
        }
        return notConnected(ringingLegs);
    }

    private static Connection notConnected(List<Dialing> legs) {
        Optional<String> sid = legs.size() == 1 ? Optional.of(legs.getFirst().child.sid()) : Optional.empty();
        Optional<Dialing> brief = legs.stream().filter(l -> l.status == CallStatus.COMPLETED).findFirst();
        if (brief.isPresent()) {   // answered and hung up before the bridge could start: it was a completed call
            return new Connection.NotConnected("completed", 200, Optional.of(brief.get().child.sid()));
        }
        if (legs.stream().anyMatch(l -> l.status == CallStatus.BUSY)) {
            return new Connection.NotConnected("busy", 486, sid);
        }
        if (legs.stream().anyMatch(l -> l.status == CallStatus.NO_ANSWER)) {
            return new Connection.NotConnected("no-answer", 480, sid);
        }
        int sip = legs.stream().mapToInt(l -> l.sipStatus).filter(s -> s >= 300).findFirst().orElse(503);
        return new Connection.NotConnected("failed", sip, sid);
    }

    /** The final status of a leg whose INVITE failed with {@code sipStatus}. */
    static CallStatus statusFor(int sipStatus) {
        return switch (sipStatus) {
            case 486, 600 -> CallStatus.BUSY;
            case 408, 480, 487, 603 -> CallStatus.NO_ANSWER;
            default -> CallStatus.FAILED;
        };
    }

    private Optional<Dialing> start(LiveCall call, Destination d, String callerId) {
        RtpStream stream;
        try {
            stream = services.media().open();
        } catch (MediaException e) {
            log.warn("call {}: cannot dial {}: {}", call.sid(), d.to(), e.getMessage());
            return Optional.empty();
        }
        stream.sendAudio(false);
        Dialing dialing = new Dialing(d, call);
        String sid = Sids.next("CA");
        String offer = Sdp.offer(services.publicHost(), stream.localPort(), call.stream().codec(), services.clock().millis() / 1000);
        SipLeg leg;
        try {
            leg = services.dialer().get().dial(new Dialer.Outgoing(d.uri(), callerId, offer, d.username(), d.password(), Map.of()), dialing);
        } catch (RuntimeException e) {
            stream.close();
            log.info("call {}: cannot dial {}: {}", call.sid(), d.uri(), e.getMessage());
            return Optional.empty();
        }
        LiveCall child = new LiveCall(sid, Optional.of(call.sid()), call.account(), Optional.empty(), callerId, d.to(), "outbound-dial",
                Map.of(), leg, stream, "");
        leg.attach(child);
        child.onHangup(dialing::hungUp);
        dialing.child = child;
        Instant now = services.clock().instant();
        try {
            services.calls().insert(new CallRecord(sid, call.account().sid(), Optional.of(call.sid()), Optional.empty(), d.to(), callerId,
                    "outbound-dial", CallStatus.RINGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(leg.callId()), services.nodeId(), now, now));
        } catch (RuntimeException e) {   // no record, no leg: cancel what was sent
            log.error("call {}: cannot record the leg to {}", call.sid(), d.to(), e);
            leg.hangup();
            stream.close();
            return Optional.empty();
        }
        live.add(child);
        progress(dialing, "initiated", "initiated", List.of());
        return Optional.of(dialing);
    }

    /** Points a stream at the media a callee's SDP answer names; throws when the answer is unusable. */
    static void useAnswer(RtpStream stream, String sdp) {
        Sdp answer = Sdp.parse(sdp);
        var codec = answer.preferredCodec().orElseThrow(() -> new MediaException("the answer has no G.711 codec"));
        stream.configure(new InetSocketAddress(answer.address(), answer.port()), codec, answer.telephoneEvent().orElse(101),
                answer.direction() == Sdp.Direction.SENDRECV || answer.direction() == Sdp.Direction.RECVONLY);
    }

    /** Points the answered leg's stream at the callee's media; false (and the leg ended) when the answer is unusable. */
    private boolean accept(Dialing leg, String sdp) {
        LiveCall child = leg.child;
        try {
            useAnswer(child.stream(), sdp);
        } catch (MediaException e) {
            log.info("call {}: the answer of {} is unusable: {}", leg.parent.sid(), leg.destination.to(), e.getMessage());
            child.leg().hangup();
            end(leg, CallStatus.FAILED, 488);
            return false;
        }
        answered(leg);
        leg.status = CallStatus.IN_PROGRESS;
        leg.destination.sendDigits().ifPresent(digits -> child.stream().sendDigits(digits).orTimeout(30, TimeUnit.SECONDS).join());
        return true;
    }

    /** The leg's callee answered: its answer time, its row, and its {@code answered} callback. */
    private void answered(Dialing leg) {
        Instant now = services.clock().instant();
        leg.child.answeredByCallee(now);
        services.calls().answered(leg.child.sid(), now);
        progress(leg, "answered", "in-progress", List.of());
    }

    /**
     * Relays media between the call and its connected leg until the callee hangs up, the caller
     * presses * (with {@code hangupOnStar}) or {@code timeLimit} passes; the caller hanging up or
     * a redirect surface as {@link CallEnded} and {@link Redirected}. The relay is undone on every path.
     */
    End hold(LiveCall call, Dialing leg, Duration timeLimit, boolean hangupOnStar, Optional<BridgeRecorder> recording, Duration warnBefore) {
        boolean direct = services.directMedia() && !hangupOnStar && recording.isEmpty()
                && call.stream().codec() == leg.child.stream().codec() && directMedia.connect(call, leg.child);
        if (!direct) {
            recording.ifPresent(r -> {
                call.tapAudio(frame -> r.append(0, frame, System.nanoTime()));
                leg.child.tapAudio(frame -> r.append(1, frame, System.nanoTime()));
            });
            RtpStream.bridge(call.stream(), leg.child.stream(), recording.isPresent());
        }
        try {
            long deadline = System.nanoTime() + timeLimit.toNanos();
            long warnAt = warnBefore.isZero() || direct ? Long.MAX_VALUE : deadline - warnBefore.toNanos();
            while (true) {
                if (System.nanoTime() >= warnAt) {
                    warnAt = Long.MAX_VALUE;
                    if (!pause(call, leg, recording.isPresent(), Tones.beep())) {
                        return End.CALLEE_HANGUP;
                    }
                    continue;
                }
                Optional<CallEvent> event = call.next(Duration.ofNanos(Math.max(0, Math.min(deadline, warnAt) - System.nanoTime())));
                if (event.isEmpty()) {
                    if (System.nanoTime() >= deadline) {
                        return End.TIME_LIMIT;
                    }
                    continue;
                }
                if (event.get() instanceof CallEvent.Leg e && e.dialing() == leg && e.kind() == CallEvent.Leg.Kind.HUNG_UP) {
                    return End.CALLEE_HANGUP;
                }
                if (event.get() instanceof CallEvent.Digit d && d.digit() == '*' && hangupOnStar) {
                    return End.HANGUP_ON_STAR;
                }
                if (event.get() instanceof CallEvent.Notice n && !direct && !pause(call, leg, recording.isPresent(), n.audio())) {
                    return End.CALLEE_HANGUP;
                }
            }
        } finally {
            if (direct) {
                directMedia.back(call);
            } else {
                RtpStream.unbridge(call.stream(), leg.child.stream());
                call.tapAudio(null);
                leg.child.tapAudio(null);
            }
        }
    }

    /**
     * The caller hears {@code audio} (the time limit's warning beep, a cost notice), the relay
     * pausing for it (the callee hears a moment of silence). False when the callee hung up meanwhile.
     */
    private static boolean pause(LiveCall call, Dialing leg, boolean decodeAudio, short[] audio) {
        RtpStream.unbridge(call.stream(), leg.child.stream());
        call.startPlayback(AudioSource.of(audio, 1));
        long resume = System.nanoTime() + Duration.ofMillis(audio.length * 1000L / Codec.SAMPLE_RATE + 40).toNanos();
        while (System.nanoTime() < resume) {
            Optional<CallEvent> e = call.next(Duration.ofNanos(resume - System.nanoTime()));
            if (e.isPresent() && e.get() instanceof CallEvent.Leg l && l.dialing() == leg && l.kind() == CallEvent.Leg.Kind.HUNG_UP) {
                return false;
            }
        }
        RtpStream.bridge(call.stream(), leg.child.stream(), decodeAudio);
        return true;
    }

    /** Ends a connected leg (BYE unless the callee already hung up) and records it; returns its talk time in seconds. */
    int release(Dialing leg, boolean calleeHungUp) {
        if (!calleeHungUp) {
            leg.child.leg().hangup();
        }
        int duration = CallRecord.durationSeconds(leg.child.answeredAt(), services.clock().instant());
        end(leg, CallStatus.COMPLETED, 200);
        return duration;
    }

    private void end(Dialing leg, CallStatus status, int sipStatus) {
        if (!leg.status.isLive()) {
            return;
        }
        leg.status = status;
        leg.sipStatus = sipStatus;
        LiveCall child = leg.child;
        child.endLocally();
        child.stream().close();
        Instant now = services.clock().instant();
        int duration = CallRecord.durationSeconds(child.answeredAt(), now);
        try {
            services.calls().finish(child.sid(), status, now, child.answeredAt());
        } catch (RuntimeException e) {
            log.error("call {}: cannot record its end", child.sid(), e);
        } finally {
            live.remove(child);
        }
        progress(leg, "completed", status.wire(), List.of(
                Map.entry("CallDuration", Integer.toString(duration)),
                Map.entry("SipResponseCode", Integer.toString(sipStatus))));
    }

    /** The dialed leg's statusCallback, with Twilio's child-leg parameters. */
    private void progress(Dialing leg, String event, String status, List<Map.Entry<String, String>> extra) {
        var callback = leg.destination.callback();
        if (callback.url().isEmpty() || !callback.events().contains(event)) {
            return;
        }
        List<Map.Entry<String, String>> params = new ArrayList<>(leg.child.baseParams(status));
        params.add(Map.entry("ParentCallSid", leg.parent.sid()));
        params.add(Map.entry("CallbackSource", "call-progress-events"));
        params.add(Map.entry("SequenceNumber", Integer.toString(leg.child.nextCallbackSequence())));
        params.addAll(extra);
        services.callbacks().send(leg.child.sid(), new WebhookRequest(callback.url().get(), callback.method(), params),
                leg.parent.account().authToken());
    }
}
