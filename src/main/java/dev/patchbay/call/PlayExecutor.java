package dev.patchbay.call;

import dev.patchbay.media.AudioSource;
import dev.patchbay.media.MediaException;
import dev.patchbay.twiml.Verb;
import dev.patchbay.webhook.WebhookFailure;
import java.util.Optional;

/** {@code <Play>}: audio by URL (HTTP-cached), looped; or DTMF digits sent as RFC 4733 events. */
final class PlayExecutor {

    private final CallServices services;

    PlayExecutor(CallServices services) {
        this.services = services;
    }

    Optional<Character> run(LiveCall call, Verb.Play play, String documentUrl, boolean interruptible) {
        if (play.digits().isPresent()) {
            call.checkLive();
            call.stream().sendDigits(play.digits().get()).join();
            call.checkLive();
            if (play.url().isEmpty()) {
                return Optional.empty();
            }
        }
        String url = Urls.resolve(documentUrl, play.url().get());
        short[] audio;
        try {
            audio = call.interruptibly(() -> services.audio().fetch(url));
        } catch (MediaException e) {
            call.checkLive();
            services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.WARNING,
                    WebhookFailure.HTTP_RETRIEVAL_FAILURE, "Play could not use " + url + ": " + e.getMessage(), Optional.of(url), Optional.of("GET"));
            return Optional.empty();
        }
        return Prompts.play(call, AudioSource.of(audio, play.loop()), interruptible);
    }
}
