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

    /**
     * Connect the caller to the first of {@code targets} to answer (all ring at once). While they
     * talk, the call is in basic mode: a bridge that knows nothing of TwiML. {@code timeLimitSeconds}
     * caps the bridged talk; {@code record} is do-not-record or record-from-answer.
     * {@code timeLimitWarningSeconds} (a Patchbay extension, 0: none): the caller hears a beep that
     * long before the time limit ends the talk.
     */
    record Dial(List<DialTarget> targets, Optional<String> action, HttpMethod method, int timeoutSeconds, Optional<String> callerId,
                int timeLimitSeconds, boolean hangupOnStar, String record, boolean answerOnBridge, String ringTone,
                int timeLimitWarningSeconds) implements Verb {
    }

    /** A party a {@link Dial} rings, with its own child-leg status callback. */
    sealed interface DialTarget {
        Callback callback();

        /** An E.164 number, reached through an outbound trunk; {@code url} is a whisper document run on the callee. */
        record Number(String number, Optional<String> sendDigits, Optional<String> url, HttpMethod urlMethod, Callback callback)
                implements DialTarget {
        }

        /** A SIP URI, reached directly; optional digest credentials answer the callee's challenge. */
        record Sip(String uri, Optional<String> username, Optional<String> password, Optional<String> url, HttpMethod urlMethod,
                   Callback callback) implements DialTarget {
        }

        /** A user agent registered with Patchbay under this user name (every contact rings). */
        record Client(String identity, Optional<String> url, HttpMethod urlMethod, Callback callback) implements DialTarget {
        }

        /**
         * The account's conference room {@code name} (made when the first participant arrives).
         * {@code beep}: true, false, onEnter or onExit; {@code waitUrl}: what is heard until the
         * room starts (absent: hold music; empty: silence); {@code record}: do-not-record or
         * record-from-start, the recording reported to {@code recordingStatusCallback}; status
         * callbacks for the events in {@code statusCallbackEvents} (start end join leave mute hold).
         */
        record Conference(String name, boolean muted, String beep, boolean startConferenceOnEnter, boolean endConferenceOnExit,
                          Optional<String> waitUrl, HttpMethod waitMethod, int maxParticipants, String record,
                          Optional<String> recordingStatusCallback, HttpMethod recordingStatusCallbackMethod,
                          Optional<String> statusCallback, HttpMethod statusCallbackMethod, Set<String> statusCallbackEvents) implements DialTarget {
            @Override
            public Callback callback() {
                return Callback.NONE;
            }
        }

        /** The caller at the front of the account's queue {@code name} (alone in its Dial); {@code url} is played to that caller first. */
        record Queue(String name, Optional<String> url, HttpMethod urlMethod) implements DialTarget {
            @Override
            public Callback callback() {
                return Callback.NONE;
            }
        }
    }

    /**
     * Put the caller in the account's queue {@code name} (made on first use) until an agent's
     * {@code <Dial><Queue>} takes them; meanwhile {@code waitUrl}'s document loops (default: hold
     * music). Then {@code action} gets QueueResult, QueueSid and QueueTime.
     */
    record Enqueue(String name, Optional<String> action, HttpMethod method, Optional<String> waitUrl, HttpMethod waitUrlMethod,
                   int maxQueueSize) implements Verb {
    }

    /** In a queue's wait document: leave the queue; the Enqueue's action gets QueueResult {@code leave}. */
    record Leave() implements Verb {
    }

    /** A child leg's statusCallback, its method and the events it wants (initiated ringing answered completed). */
    record Callback(Optional<String> url, HttpMethod method, Set<String> events) {
        public static final Callback NONE = new Callback(Optional.empty(), HttpMethod.POST, Set.of("completed"));
    }

    /** Decline an unanswered call: {@code busy} (SIP 486) or {@code rejected} (SIP 603). */
    record Reject(String reason) implements Verb {
        public int sipStatus() {
            return reason.equals("busy") ? 486 : 603;
        }
    }
}
