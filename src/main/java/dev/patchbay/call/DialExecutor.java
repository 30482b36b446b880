package dev.patchbay.call;

import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Tones;
import dev.patchbay.twiml.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    Outcome run(LiveCall call, Verb.Dial dial, String documentUrl, String module, Runnable answer) {
        Destinations.Resolved resolved = destinations.resolve(call.account().sid(), dial.targets());
        resolved.problems().forEach(p -> services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.WARNING,
                13225, "Dial: " + p, Optional.empty(), Optional.empty()));
        String callerId = dial.callerId().orElse(call.from());
        Optional<AudioSource> ringback = call.isAnswered() ? Optional.of(ringback(dial)) : Optional.empty();
        Bridge.Connection connection = resolved.destinations().isEmpty()
                ? new Bridge.Connection.NotConnected("failed", 404)
                : bridge.connect(call, resolved.destinations(), Duration.ofSeconds(dial.timeoutSeconds()), callerId, ringback);
        String dialStatus;
        String dialSid = "";
        int duration = 0;
        switch (connection) {
            case Bridge.Connection.NotConnected nc -> {
                dialStatus = nc.dialStatus();
                dialSid = nc.dialSid().orElse("");
            }
            case Bridge.Connection.Connected c -> {
                Bridge.Dialing leg = c.leg();
                dialSid = leg.child().sid();
                boolean calleeHungUp = false;
                try {
                    answer.run();
                    services.segments().transition(call, Mode.BASIC, "bridge:" + leg.destination.uri(), "verb:Dial");
                    Bridge.End end = bridge.hold(call, leg, Duration.ofSeconds(dial.timeLimitSeconds()), dial.hangupOnStar());
                    calleeHungUp = end == Bridge.End.CALLEE_HANGUP;
                    services.segments().transition(call, Mode.APPLICATION, module, end.reason);
                } finally {
                    duration = bridge.release(leg, calleeHungUp);
                }
                dialStatus = "completed";
            }
        }
        if (dial.action().isEmpty()) {
            return Outcome.NEXT;
        }
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("DialCallStatus", dialStatus));
        if (!dialSid.isEmpty()) {
            params.add(Map.entry("DialCallSid", dialSid));
        }
        if (dialStatus.equals("completed")) {
            params.add(Map.entry("DialCallDuration", Integer.toString(duration)));
        }
        return new Outcome.Fetch(Urls.resolve(documentUrl, dial.action().get()), dial.method(), params);
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
