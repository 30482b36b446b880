package dev.patchbay.call;

import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Verb;
import java.util.List;
import java.util.Map;

/** What a verb's executor tells the interpreter to do next. */
sealed interface Outcome {

    /** Go on with the next verb of the document. */
    record Next() implements Outcome {
    }

    /** Request a new document (an action, a Redirect) with these extra parameters; it replaces the current one. */
    record Fetch(String url, HttpMethod method, List<Map.Entry<String, String>> params) implements Outcome {
    }

    /** Run these verbs (TwiML given inline, by REST); relative URLs in them resolve against {@code baseUrl}. */
    record Inline(List<Verb> verbs, String baseUrl) implements Outcome {
    }

    /** The call is over (Hangup, Reject). */
    record End() implements Outcome {
    }

    Outcome NEXT = new Next();
    Outcome END = new End();
}
