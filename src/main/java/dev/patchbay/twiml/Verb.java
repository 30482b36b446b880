package dev.patchbay.twiml;

import dev.patchbay.number.HttpMethod;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One TwiML instruction, parsed and validated once by {@link TwimlParser} with Twilio's defaults
 * filled in. URLs are kept as written; the interpreter resolves them against the document's URL.
 */
public sealed interface Verb {

    /** Speak {@code text}; loop 0 means "until the caller acts" (Twilio plays it up to 1000 times). */
    record Say(String text, String voice, String language, int loop) implements Verb {
    }

    /** Play audio from {@code url}, or send {@code digits} as DTMF ({@code w} waits half a second). */
    record Play(Optional<String> url, int loop, Optional<String> digits) implements Verb {
    }

    record Pause(int lengthSeconds) implements Verb {
    }

    /** Collect DTMF while the nested prompts play; {@code numDigits} 0 means no limit. */
    record Gather(Optional<String> action, HttpMethod method, int timeoutSeconds, String finishOnKey, int numDigits,
                  boolean actionOnEmptyResult, Set<String> input, List<Verb> prompts) implements Verb {
    }

    record Record(Optional<String> action, HttpMethod method, int timeoutSeconds, String finishOnKey, int maxLengthSeconds,
                  boolean playBeep, boolean trim, Optional<String> recordingStatusCallback,
                  HttpMethod recordingStatusCallbackMethod) implements Verb {
    }

    record Redirect(String url, HttpMethod method) implements Verb {
    }

    record Hangup() implements Verb {
    }

    /** Decline an unanswered call: {@code busy} (SIP 486) or {@code rejected} (SIP 603). */
    record Reject(String reason) implements Verb {
        public int sipStatus() {
            return reason.equals("busy") ? 486 : 603;
        }
    }
}
