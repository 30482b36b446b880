package dev.patchbay.call;

import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Verb;
import java.util.Optional;

/**
 * One party to ring, resolved: {@code to} as Twilio reports it (a number, a SIP URI,
 * {@code client:alice}), the SIP URI the INVITE goes to, and what to do once it answers.
 */
record Destination(String to, String uri, Optional<String> username, Optional<String> password, Optional<String> sendDigits,
                   Optional<String> whisperUrl, HttpMethod whisperMethod, Verb.Callback callback) {

    /** The same destination with its status callback's relative URL resolved against the document that dialed it. */
    Destination resolvedAgainst(String documentUrl) {
        Verb.Callback resolved = new Verb.Callback(callback.url().map(u -> Urls.resolve(documentUrl, u)), callback.method(), callback.events());
        return new Destination(to, uri, username, password, sendDigits, whisperUrl, whisperMethod, resolved);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Destination[to=" + to + ", uri=" + uri + "]";
    }
}
