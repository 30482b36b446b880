package dev.patchbay.call;

import dev.patchbay.billing.CountedUsage;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.MediaException;
import dev.patchbay.media.Tones;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Verb;
import dev.patchbay.webhook.WebhookFailure;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a conference participant hears until its room starts: the noun's waitUrl document (its
 * Play, Say and Pause; a Redirect moves to another document; at the end the document is fetched
 * again), one step at a time on the call's stream, so the room's start cuts it off at once. No
 * waitUrl plays hold music; an empty one, silence. A document with nothing to hear is not fetched
 * in a loop: after a few empty fetches the wait goes silent. Used on the call's own thread.
 */
final class WaitMusic {

    /** The default hold music (also what a held conference participant hears). */
    static final short[] HOLD = Tones.holdMusic();
    private static final int EMPTY_FETCHES = 3;

    private final CallServices services;
    private final LiveCall call;
    private final Optional<String> url;
    private final HttpMethod method;
    private final List<Map.Entry<String, String>> params;
    private final Function<Outcome.Fetch, QueueExecutor.WaitDocument> loader;
    private final Deque<Verb> steps = new ArrayDeque<>();
    private String documentUrl;
    private Object playing;
    private boolean silent;

    /** {@code url}: resolved already; {@code loader} fetches as the interpreter does (fallback and errors included). */
    WaitMusic(CallServices services, LiveCall call, Optional<String> url, HttpMethod method, List<Map.Entry<String, String>> params,
              Function<Outcome.Fetch, QueueExecutor.WaitDocument> loader) {
        this.services = services;
        this.call = call;
        this.url = url;
        this.method = method;
        this.params = params;
        this.loader = loader;
        this.documentUrl = url.orElse("");
        this.silent = url.isPresent() && url.get().isEmpty();
    }

    /** Starts (or resumes, after the participant heard something else) the wait audio. */
    void start() {
        steps.clear();
        next();
    }

    /** Each event the call received while waiting: when the step playing finished, the next one plays. */
    void onEvent(CallEvent event) {
        if (event instanceof CallEvent.PlaybackDone done && done.playback() == playing && done.finished()) {
            next();
        }
    }

    private void next() {
        playing = null;
        if (url.isEmpty()) {
            playing = call.startPlayback(AudioSource.of(HOLD, 0));
            return;
        }
        int fetches = 0;
        while (!silent) {
            if (steps.isEmpty()) {
                if (fetches++ == EMPTY_FETCHES) {
                    silent = true;
                    break;
                }
                steps.addAll(loader.apply(new Outcome.Fetch(documentUrl, method, params)).verbs());
                continue;
            }
            Optional<AudioSource> audio = switch (steps.poll()) {
                case Verb.Say s when !s.text().isBlank() -> speech(s);
                case Verb.Play p -> p.url().flatMap(u -> fetched(Urls.resolve(documentUrl, u), p.loop()));
                case Verb.Pause p -> Optional.of(AudioSource.silence(p.lengthSeconds() * 1000L));
                case Verb.Redirect r -> {
                    documentUrl = r.url().isEmpty() ? documentUrl : Urls.resolve(documentUrl, r.url());
                    steps.clear();
                    yield Optional.empty();
                }
                case Verb.Hangup h -> {   // nothing more to hear: the participant waits in silence
                    silent = true;
                    yield Optional.empty();
                }
                default -> Optional.empty();   // Twilio allows only Play, Say, Pause and Redirect here
            };
            if (audio.isPresent()) {
                playing = call.startPlayback(audio.get());
                return;
            }
        }
        call.stream().stopPlayback();
    }

    private Optional<AudioSource> speech(Verb.Say say) {
        try {
            short[] speech = services.tts().synthesize(say.text(), say.voice(), say.language());
            services.count(call, CountedUsage.Meter.TTS_CHARACTERS, say.text().length(),
                    "tts:" + call.sid() + ":" + call.nextUsageSequence());
            return Optional.of(AudioSource.of(speech, say.loop()));
        } catch (MediaException e) {
            return Optional.empty();
        }
    }

    private Optional<AudioSource> fetched(String audioUrl, int loop) {
        try {
            return Optional.of(AudioSource.of(call.interruptibly(() -> services.audio().fetch(audioUrl)), loop));
        } catch (MediaException e) {
            call.checkLive();
            services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.WARNING,
                    WebhookFailure.HTTP_RETRIEVAL_FAILURE, "the conference's waitUrl could not play " + audioUrl + ": " + e.getMessage(),
                    Optional.of(audioUrl), Optional.of("GET"));
            return Optional.empty();
        }
    }
}
