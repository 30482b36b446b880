package dev.patchbay.call;

import dev.patchbay.twiml.Verb;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <Gather>}: plays the nested prompts (the first key cuts them off), then collects keys
 * until finishOnKey, numDigits, or {@code timeout} seconds without a key. With digits (or
 * actionOnEmptyResult) the action is requested; with none the document goes on.
 */
final class GatherExecutor {

    private final SayExecutor say;
    private final PlayExecutor play;

    GatherExecutor(SayExecutor say, PlayExecutor play) {
        this.say = say;
        this.play = play;
    }

    Outcome run(LiveCall call, Verb.Gather gather, String documentUrl) {
        call.discardPendingDigits();
        StringBuilder digits = new StringBuilder();
        Optional<Character> first = Optional.empty();
        for (Verb prompt : gather.prompts()) {
            first = switch (prompt) {
                case Verb.Say s -> say.run(call, s, true);
                case Verb.Play p -> play.run(call, p, documentUrl, true);
                case Verb.Pause p -> Prompts.pause(call, Duration.ofSeconds(p.lengthSeconds()), true);
                default -> throw new IllegalStateException("the parser admits only Say, Play and Pause in Gather");
            };
            if (first.isPresent()) {
                break;
            }
        }
        boolean finished = first.isPresent() && accept(first.get(), gather, digits);
        Instant deadline = Instant.now().plusSeconds(gather.timeoutSeconds());
        while (!finished) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            Optional<CallEvent> event = call.next(left);
            if (event.isPresent() && event.get() instanceof CallEvent.Digit d) {
                finished = accept(d.digit(), gather, digits);
                deadline = Instant.now().plusSeconds(gather.timeoutSeconds());
            }
        }
        if (digits.isEmpty() && !gather.actionOnEmptyResult()) {
            return Outcome.NEXT;
        }
        String action = gather.action().map(a -> Urls.resolve(documentUrl, a)).orElse(documentUrl);
        return new Outcome.Fetch(action, gather.method(), List.of(Map.entry("Digits", digits.toString())));
    }

    /** Adds a key; returns true when gathering is complete. */
    private static boolean accept(char key, Verb.Gather gather, StringBuilder digits) {
        if (!gather.finishOnKey().isEmpty() && key == gather.finishOnKey().charAt(0)) {
            return true;
        }
        digits.append(key);
        return gather.numDigits() > 0 && digits.length() >= gather.numDigits();
    }
}
