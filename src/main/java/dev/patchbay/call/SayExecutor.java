package dev.patchbay.call;

import dev.patchbay.billing.CountedUsage;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.MediaException;
import dev.patchbay.twiml.Verb;
import java.util.Optional;

/** {@code <Say>}: speech from the TTS engine (cached), looped. */
final class SayExecutor {

    /** Twilio's code for a Say that cannot be rendered. */
    static final int SAY_FAILED = 13520;

    private final CallServices services;

    SayExecutor(CallServices services) {
        this.services = services;
    }

    Optional<Character> run(LiveCall call, Verb.Say say, boolean interruptible) {
        if (say.text().isEmpty()) {
            return Optional.empty();
        }
        short[] speech;
        try {
            speech = services.tts().synthesize(say.text(), say.voice(), say.language());
        } catch (MediaException e) {
            services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.WARNING, SAY_FAILED,
                    "Say could not be synthesized: " + e.getMessage(), Optional.empty(), Optional.empty());
            return Optional.empty();
        }
        services.count(call, CountedUsage.Meter.TTS_CHARACTERS, say.text().length(),
                "tts:" + call.sid() + ":" + call.nextUsageSequence());   // the characters asked for, once however often it loops
        return Prompts.play(call, AudioSource.of(speech, say.loop()), interruptible);
    }
}
