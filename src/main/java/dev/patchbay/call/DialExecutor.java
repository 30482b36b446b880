package dev.patchbay.call;

import dev.patchbay.billing.CountedUsage;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.BridgeRecorder;
import dev.patchbay.media.Tones;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Verb;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code <Dial>}: rings its nouns at once, then hands the call to the basic mode (the bridge)
 * while the parties talk, and takes it back for the application when the bridge ends. With an
 * action the DialCall* parameters go there; without, the document goes on after the Dial.
 */
final class DialExecutor {

    private final CallServices services;
    private final Bridge bridge;
    private final Destinations destinations;

    DialExecutor(CallServices services, Bridge bridge, Destinations destinations) {
        this.services = services;
        this.bridge = bridge;
        this.destinations = destinations;
    }

    /** {@code answer} answers the caller (deferred to the callee's answer with answerOnBridge). */
    Outcome run(LiveCall call, Verb.Dial dial, String documentUrl, Controller controller, Runnable answer) {
        Destinations.Resolved resolved = destinations.resolve(call.account().sid(), dial.targets());
        resolved.problems().forEach(p -> services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.WARNING,
                13225, "Dial: " + p, Optional.empty(), Optional.empty()));
        String callerId = dial.callerId().orElse(call.from());
        Optional<AudioSource> ringback = call.isAnswered() ? Optional.of(ringback(dial)) : Optional.empty();
        Bridge.Connection connection = resolved.destinations().isEmpty()
                ? new Bridge.Connection.NotConnected("failed", 404)
                : bridge.connect(call, resolved.destinations().stream().map(d -> d.resolvedAgainst(documentUrl)).toList(),
                        Duration.ofSeconds(dial.timeoutSeconds()), callerId, ringback);
        List<Map.Entry<String, String>> params = new ArrayList<>();
        switch (connection) {
            case Bridge.Connection.NotConnected nc -> {
                params.add(Map.entry("DialCallStatus", nc.dialStatus()));
                nc.dialSid().ifPresent(sid -> params.add(Map.entry("DialCallSid", sid)));
                if (nc.dialStatus().equals("completed")) {
                    params.add(Map.entry("DialCallDuration", "0"));
                }
            }
            case Bridge.Connection.Connected c -> params.addAll(talk(call, dial, c.leg(), documentUrl, controller, answer));
        }
        if (dial.action().isEmpty()) {
            return Outcome.NEXT;
        }
        return new Outcome.Fetch(Urls.resolve(documentUrl, dial.action().get()), dial.method(), params);
    }

    /** The callee answered: its whisper document, then the bridge until it ends; returns the action's parameters. */
    private List<Map.Entry<String, String>> talk(LiveCall call, Verb.Dial dial, Bridge.Dialing leg, String documentUrl, Controller controller,
                                                 Runnable answer) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("DialCallSid", leg.child().sid()));
        boolean calleeHungUp = false;
        int duration;
        Optional<BridgeRecorder> recording = dial.record().equals("do-not-record")
                ? Optional.empty() : Optional.of(new BridgeRecorder(System.nanoTime(), dial.timeLimitSeconds()));
        Instant recordingStarted = services.clock().instant();
        try {
            if (leg.destination.whisperUrl().isPresent() && !whisper(leg, documentUrl)) {
                duration = bridge.release(leg, leg.child().isEnded());
                params.add(Map.entry("DialCallStatus", "no-answer"));
                return params;
            }
            answer.run();
            Mode resume = call.tenure().instructionsMode();   // application or service, after the bridge
            if (!(controller.isBridgeModule() && call.mode().equals(Optional.of(Mode.BASIC)))) {   // a bridge module's hand-off (or answer) opened it
                services.segments().transition(call, Mode.BASIC, controller.bridged("bridge:" + leg.destination.uri()), "verb:Dial");
            }
            Bridge.End end = bridge.hold(call, leg, Duration.ofSeconds(dial.timeLimitSeconds()), dial.hangupOnStar(), recording,
                    Duration.ofSeconds(dial.timeLimitWarningSeconds()));
            calleeHungUp = end == Bridge.End.CALLEE_HANGUP;
            if (!controller.isBridgeModule()) {   // a bridge module leaves by an outlet next; that hand-off closes the bridge's segment
                services.segments().transition(call, resume, controller, end.reason);
            }
        } finally {
            duration = bridge.release(leg, calleeHungUp);
            recording.filter(r -> !r.isEmpty()).ifPresent(r -> save(call, dial, r, recordingStarted, params));
        }
        params.add(Map.entry("DialCallStatus", "completed"));
        params.add(Map.entry("DialCallDuration", Integer.toString(duration)));
        return params;
    }

    /**
     * Runs the noun's {@code url} document on the callee before the bridge (a whisper, or a Gather
     * that lets the callee accept). True when it ran to its end; false when it hung up the callee.
     */
    private boolean whisper(Bridge.Dialing leg, String documentUrl) {
        String url = Urls.resolve(documentUrl, leg.destination.whisperUrl().get());
        VoiceTarget target = new VoiceTarget(url, leg.destination.whisperMethod(), Optional.empty(), HttpMethod.POST, Optional.empty(),
                HttpMethod.POST, Set.of());
        Interpreter whisper = new Interpreter(services, leg.child(), target, this, () -> { });
        try {
            whisper.run();
        } catch (CallEnded ended) {
            return false;
        }
        return !whisper.endedByHangup() && !leg.child().isEnded();
    }

    private void save(LiveCall call, Verb.Dial dial, BridgeRecorder recorder, Instant started, List<Map.Entry<String, String>> params) {
        boolean dual = dial.record().endsWith("-dual");
        Recording saved = services.recordings().save(call.account().sid(), call.sid(), started, dual ? recorder.stereo() : recorder.mono(),
                dual ? 2 : 1, "DialVerb");
        services.count(call, CountedUsage.Meter.RECORDING_SECONDS, saved.duration(), "recording:" + saved.sid());
        params.add(Map.entry("RecordingUrl", services.httpBase().get() + "/2010-04-01/Accounts/" + saved.accountSid() + "/Recordings/" + saved.sid()));
        params.add(Map.entry("RecordingSid", saved.sid()));
        params.add(Map.entry("RecordingDuration", Integer.toString(saved.duration())));
    }

    private static AudioSource ringback(Verb.Dial dial) {
        int cadences = dial.timeoutSeconds() / 4 + 1;
        AudioSource[] parts = new AudioSource[cadences];
        for (int i = 0; i < cadences; i++) {
            parts[i] = Tones.ringback(dial.ringTone());
        }
        return AudioSource.concat(parts);
    }
}
