package dev.patchbay.twiml;

import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Xml.Element;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * TwiML bytes to verbs, at the edge and once. The XML reader ({@link Xml}) has no DTDs and no
 * entities but XML's own (no XXE, no entity expansion bombs); documents over {@link #MAX_BYTES} are refused.
 * Unknown attributes are ignored, as Twilio does; unknown verbs and bad values are errors.
 */
public final class TwimlParser {

    /** Twilio's limit for a TwiML response. */
    public static final int MAX_BYTES = 64 * 1024;

    /** Elements whose text means something (a URL, a number, words to say); elsewhere only whitespace may stand between elements. */
    private static final Set<String> TEXT_ALLOWED = Set.of("Say", "Play", "Redirect", "Dial", "Number", "Sip", "Client");

    private TwimlParser() {
    }

    public static List<Verb> parse(String xml) {
        return parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    public static List<Verb> parse(byte[] xml) {
        if (xml.length > MAX_BYTES) {
            throw new TwimlException(TwimlException.PARSE_FAILURE, "the document is " + xml.length + " bytes; TwiML is limited to " + MAX_BYTES);
        }
        Element root;
        try {
            root = Xml.parse(xml);
        } catch (Xml.MalformedException e) {
            throw new TwimlException(TwimlException.PARSE_FAILURE, "the document is not well-formed XML: " + e.getMessage());
        }
        if (!root.name().equals("Response")) {
            throw schema("the root element is <" + root.name() + ">, not <Response>");
        }
        List<Verb> verbs = new ArrayList<>();
        for (Element child : children(root)) {
            verbs.add(verb(child));
        }
        return List.copyOf(verbs);
    }

    private static Verb verb(Element e) {
        return switch (e.name()) {
            case "Say" -> say(e);
            case "Play" -> play(e);
            case "Pause" -> new Verb.Pause(integer(e, "length", 1, 0, 600));
            case "Gather" -> gather(e);
            case "Record" -> record(e);
            case "Redirect" -> new Verb.Redirect(e.text().trim(), method(e, "method"));   // empty: the current document again
            case "Dial" -> dial(e);
            case "Hangup" -> new Verb.Hangup();
            case "Reject" -> new Verb.Reject(oneOf(e, "reason", "rejected", Set.of("rejected", "busy")));
            case "Enqueue" -> new Verb.Enqueue(queueName(requiredText(e)), attribute(e, "action"), method(e, "method"), attribute(e, "waitUrl"),
                    method(e, "waitUrlMethod"), integer(e, "maxQueueSize", 100, 1, 5000));
            case "Leave" -> new Verb.Leave();
            default -> throw schema("<" + e.name() + "> is not a verb Patchbay knows");
        };
    }

    private static Verb.DialTarget.Conference conference(Element e) {
        String name = queueName(requiredText(e));
        Set<String> events = new TreeSet<>();
        for (String event : attribute(e, "statusCallbackEvent").orElse("start end").trim().split("[\\s,]+")) {
            if (!event.isEmpty()) {
                if (!Set.of("start", "end", "join", "leave", "mute", "hold", "modify", "speaker", "announcement").contains(event)) {
                    throw schema("<Conference statusCallbackEvent=\"" + event + "\"> is not start, end, join, leave, mute or hold");
                }
                events.add(event);
            }
        }
        return new Verb.DialTarget.Conference(name, bool(e, "muted", false), oneOf(e, "beep", "true", Set.of("true", "false", "onEnter", "onExit")),
                bool(e, "startConferenceOnEnter", true), bool(e, "endConferenceOnExit", false), attribute(e, "waitUrl"), method(e, "waitMethod"),
                integer(e, "maxParticipants", 250, 2, 250), oneOf(e, "record", "do-not-record", Set.of("do-not-record", "record-from-start")),
                attribute(e, "recordingStatusCallback").filter(u -> !u.isEmpty()), method(e, "recordingStatusCallbackMethod"),
                attribute(e, "statusCallback"), method(e, "statusCallbackMethod"), Set.copyOf(events));
    }

    private static String queueName(String name) {
        if (name.length() > 64) {
            throw schema("a queue name is at most 64 characters");
        }
        return name;
    }

    private static Verb.Say say(Element e) {
        String text = e.text().trim();
        if (text.length() > 4096) {
            throw schema("<Say> text is longer than 4096 characters");
        }
        return new Verb.Say(text, attribute(e, "voice").orElse("man"), attribute(e, "language").orElse("en-US"),
                integer(e, "loop", 1, 0, 1000));
    }

    private static Verb.Play play(Element e) {
        String text = e.text().trim();
        Optional<String> digits = attribute(e, "digits");
        digits.filter(d -> !d.matches("[0-9*#wWA-Da-d]+")).ifPresent(d -> {
            throw schema("<Play digits=\"" + d + "\"> may contain only 0-9, *, #, A-D and w");
        });
        if (text.isEmpty() && digits.isEmpty()) {
            throw schema("<Play> needs a URL or a digits attribute");
        }
        return new Verb.Play(text.isEmpty() ? Optional.empty() : Optional.of(text), integer(e, "loop", 1, 0, 1000), digits);
    }

    private static Verb.Gather gather(Element e) {
        Set<String> input = new LinkedHashSet<>(List.of(attribute(e, "input").orElse("dtmf").trim().toLowerCase(Locale.ROOT).split("\\s+")));
        if (!input.contains("dtmf")) {
            throw schema("<Gather input=\"" + String.join(" ", input) + "\">: Patchbay gathers dtmf; speech recognition is not available");
        }
        if (!Set.of("dtmf", "speech").containsAll(input)) {
            throw schema("<Gather input> must be dtmf, speech or \"dtmf speech\"");
        }
        List<Verb> prompts = new ArrayList<>();
        for (Element child : children(e)) {
            Verb nested = switch (child.name()) {
                case "Say", "Play", "Pause" -> verb(child);
                default -> throw schema("<Gather> may nest only <Say>, <Play> and <Pause>, not <" + child.name() + ">");
            };
            prompts.add(nested);
        }
        String finishOnKey = attribute(e, "finishOnKey").orElse("#");
        if (!finishOnKey.matches("[0-9*#]?")) {
            throw schema("<Gather finishOnKey> must be one of 0-9, * and #, or empty");
        }
        return new Verb.Gather(attribute(e, "action"), method(e, "method"), integer(e, "timeout", 5, 0, 600), finishOnKey,
                integer(e, "numDigits", 0, 1, 1000), bool(e, "actionOnEmptyResult", false), Set.copyOf(input), List.copyOf(prompts));
    }

    private static Verb.Record record(Element e) {
        String finishOnKey = attribute(e, "finishOnKey").orElse("1234567890*#");
        if (!finishOnKey.matches("[0-9*#]*")) {
            throw schema("<Record finishOnKey> may contain only 0-9, * and #");
        }
        String trim = oneOf(e, "trim", "trim-silence", Set.of("trim-silence", "do-not-trim"));
        return new Verb.Record(attribute(e, "action"), method(e, "method"), integer(e, "timeout", 5, 0, 3600), finishOnKey,
                integer(e, "maxLength", 3600, 1, 14400), bool(e, "playBeep", true), trim.equals("trim-silence"),
                attribute(e, "recordingStatusCallback"), method(e, "recordingStatusCallbackMethod"));
    }

    private static Verb.Dial dial(Element e) {
        List<Verb.DialTarget> targets = new ArrayList<>();
        boolean nouns = false;
        for (Element child : children(e)) {
            nouns = true;
            targets.add(switch (child.name()) {
                case "Number" -> {
                    String number = requiredText(child).replaceAll("[\\s()-]", "");
                    if (!number.matches("\\+?[0-9]{3,15}")) {
                        throw schema("<Number>" + number + "</Number> is not a phone number");
                    }
                    Optional<String> sendDigits = attribute(child, "sendDigits");
                    sendDigits.filter(d -> !d.matches("[0-9*#wWA-Da-d]+")).ifPresent(d -> {
                        throw schema("<Number sendDigits=\"" + d + "\"> may contain only 0-9, *, #, A-D and w");
                    });
                    yield new Verb.DialTarget.Number(number, sendDigits, attribute(child, "url"), method(child, "method"), callback(child));
                }
                case "Sip" -> {
                    String uri = requiredText(child);
                    if (!uri.regionMatches(true, 0, "sip:", 0, 4) || uri.length() < 5) {
                        throw schema("<Sip>" + uri + "</Sip> is not a sip: URI");
                    }
                    yield new Verb.DialTarget.Sip(uri, attribute(child, "username"), attribute(child, "password"), attribute(child, "url"),
                            method(child, "method"), callback(child));
                }
                case "Client" -> {
                    String identity = child.elements().stream().filter(i -> i.name().equals("Identity")).findFirst()
                            .orElse(child).text().trim();
                    if (!identity.matches("[A-Za-z0-9_.@+-]{1,128}")) {
                        throw schema("<Client>" + identity + "</Client> is not a client identity (letters, digits, _ . @ + -)");
                    }
                    yield new Verb.DialTarget.Client(identity, attribute(child, "url"), method(child, "method"), callback(child));
                }
                case "Queue" -> new Verb.DialTarget.Queue(queueName(requiredText(child)), attribute(child, "url"), method(child, "method"));
                case "Conference" -> conference(child);
                default -> throw schema("<Dial> may nest <Number>, <Sip>, <Client> and <Queue>, not <" + child.name() + ">");
            });
        }
        if (!nouns) {
            String number = e.text().trim().replaceAll("[\\s()-]", "");
            if (!number.matches("\\+?[0-9]{3,15}")) {
                throw schema("<Dial> needs a phone number as its text, or <Number>, <Sip> or <Client> inside");
            }
            targets.add(new Verb.DialTarget.Number(number, Optional.empty(), Optional.empty(), HttpMethod.POST, Verb.Callback.NONE));
        }
        if (targets.size() > 10) {
            throw schema("<Dial> may ring at most 10 parties at once");
        }
        if (targets.size() > 1 && targets.stream().anyMatch(t -> t instanceof Verb.DialTarget.Queue || t instanceof Verb.DialTarget.Conference)) {
            throw schema("<Dial> with a <Queue> or a <Conference> may nest nothing else");
        }
        String record = oneOf(e, "record", "do-not-record", Set.of("do-not-record", "record-from-answer", "record-from-ringing",
                "record-from-answer-dual", "record-from-ringing-dual"));
        return new Verb.Dial(List.copyOf(targets), attribute(e, "action"), method(e, "method"), integer(e, "timeout", 30, 5, 600),
                attribute(e, "callerId").filter(c -> !c.isEmpty()), integer(e, "timeLimit", 14400, 1, 86400), bool(e, "hangupOnStar", false),
                record, bool(e, "answerOnBridge", false), attribute(e, "ringTone").orElse("us"), integer(e, "timeLimitWarning", 0, 0, 3600));
    }

    private static Verb.Callback callback(Element e) {
        Set<String> events = new LinkedHashSet<>(List.of(attribute(e, "statusCallbackEvent").orElse("completed").trim()
                .toLowerCase(Locale.ROOT).split("[\\s,]+")));
        if (!Set.of("initiated", "ringing", "answered", "completed").containsAll(events)) {
            throw schema("<" + e.name() + " statusCallbackEvent> may list only initiated, ringing, answered and completed");
        }
        events.add("completed");
        return new Verb.Callback(attribute(e, "statusCallback").filter(u -> !u.isEmpty()), method(e, "statusCallbackMethod"), Set.copyOf(events));
    }

    private static List<Element> children(Element parent) {
        for (Object o : parent.content()) {
            if (o instanceof String text && !text.isBlank() && !TEXT_ALLOWED.contains(parent.name())) {
                throw schema("unexpected text '" + text.trim() + "' inside <" + parent.name() + ">");
            }
        }
        return parent.elements();
    }

    private static Optional<String> attribute(Element e, String name) {
        return e.attribute(name).map(String::trim);
    }

    private static String requiredText(Element e) {
        String text = e.text().trim();
        if (text.isEmpty()) {
            throw schema("<" + e.name() + "> needs a URL as its text");
        }
        return text;
    }

    private static HttpMethod method(Element e, String name) {
        Optional<String> value = attribute(e, name);
        if (value.isEmpty() || value.get().isEmpty()) {
            return HttpMethod.POST;
        }
        return switch (value.get().toUpperCase(Locale.ROOT)) {
            case "GET" -> HttpMethod.GET;
            case "POST" -> HttpMethod.POST;
            default -> throw schema("<" + e.name() + " " + name + "=\"" + value.get() + "\"> must be GET or POST");
        };
    }

    private static int integer(Element e, String name, int fallback, int min, int max) {
        Optional<String> value = attribute(e, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw schema("<" + e.name() + " " + name + "=\"" + value.get() + "\"> must be an integer from " + min + " to " + max);
    }

    private static boolean bool(Element e, String name, boolean fallback) {
        Optional<String> value = attribute(e, name).map(v -> v.toLowerCase(Locale.ROOT));
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw schema("<" + e.name() + " " + name + "=\"" + value.get() + "\"> must be true or false");
        };
    }

    private static String oneOf(Element e, String name, String fallback, Set<String> allowed) {
        String value = attribute(e, name).orElse(fallback);
        if (!allowed.contains(value)) {
            throw schema("<" + e.name() + " " + name + "=\"" + value + "\"> must be one of " + allowed);
        }
        return value;
    }

    private static TwimlException schema(String message) {
        return new TwimlException(TwimlException.SCHEMA_VALIDATION, message);
    }
}
