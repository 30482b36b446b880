package dev.patchbay.service;

import static dev.patchbay.service.Twiml.attr;
import static dev.patchbay.service.Twiml.text;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Twilio's twimlets, rebuilt: forward, simulring, findme, menu, message, voicemail and whisper,
 * with their parameter names and behaviour, so that a twimlet URL's query string works against
 * Patchbay unchanged (only the host changes). Each answers with TwiML, or with a redirect (where
 * the twimlet sends a {@code Location}: a FailUrl, a menu option). Parameters arrive as Twilio
 * sends them plus the URL's query; PHP-style arrays ({@code PhoneNumbers[]}, {@code PhoneNumbers[0]},
 * {@code Options[1]}) are read as the twimlets read them. Pure and thread-safe.
 */
public final class Twimlets {

    /** The twimlets this class answers for. */
    public static final Set<String> NAMES = Set.of("forward", "simulring", "findme", "menu", "message", "voicemail", "whisper");

    private Twimlets() {
    }

    /** What a twimlet answers: a TwiML document, or a redirect to another URL. */
    public sealed interface Reply {
        record Twiml(String xml) implements Reply {
        }

        record Redirect(String location) implements Reply {
        }
    }

    /**
     * A twimlet's request: its parameters (form parameters first, then the query: the first value
     * of a name wins, as PHP's request array lets POST override GET), its own path ({@code selfPath},
     * PHP's SCRIPT_URL, which Dial actions point at) and its own absolute URL ({@code selfUri},
     * SCRIPT_URI), both without the query.
     */
    public record Request(List<Map.Entry<String, String>> params, String selfPath, String selfUri) {
        Optional<String> get(String name) {
            return params.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
        }

        String text(String name) {
            return get(name).orElse("");
        }

        boolean has(String name) {
            return get(name).isPresent();
        }

        /** A PHP array parameter: {@code name}, {@code name[]} and {@code name[i]} values in order, empty ones dropped. */
        List<String> list(String name) {
            List<String> values = new ArrayList<>();
            for (var e : params) {
                String key = e.getKey();
                if (key.equals(name) || key.equals(name + "[]") || key.startsWith(name + "[") && key.endsWith("]")) {
                    if (!e.getValue().isEmpty()) {
                        values.add(e.getValue());
                    }
                }
            }
            return values;
        }

        /** A PHP keyed array: {@code name[key]=value}, empty values dropped. */
        Map<String, String> keyed(String name) {
            Map<String, String> values = new TreeMap<>();
            for (var e : params) {
                String key = e.getKey();
                if (key.startsWith(name + "[") && key.endsWith("]") && !e.getValue().isEmpty()) {
                    values.putIfAbsent(key.substring(name.length() + 1, key.length() - 1), e.getValue());
                }
            }
            return values;
        }
    }

    /** Answers {@code name}'s request; an unknown name is an {@link IllegalArgumentException}. */
    public static Reply answer(String name, Request r) {
        return switch (name) {
            case "forward" -> forward(r);
            case "simulring" -> simulring(r);
            case "findme" -> findme(r);
            case "menu" -> menu(r);
            case "message" -> message(r);
            case "voicemail" -> voicemail(r);
            case "whisper" -> whisper(r);
            default -> throw new IllegalArgumentException("no twimlet " + name);
        };
    }

    /** Forwards the call to PhoneNumber (Timeout, default 20), optionally only for AllowedCallers; FailUrl when nobody answers. */
    static Reply forward(Request r) {
        Optional<Reply> returned = afterDial(r);
        if (returned.isPresent()) {
            return returned.get();
        }
        List<String> allowed = r.list("AllowedCallers").stream().map(Twimlets::digits).filter(d -> !d.isEmpty()).toList();
        if (!allowed.isEmpty()) {
            String from = r.text("From").isEmpty() ? r.text("Caller") : r.text("From");
            String to = r.text("To").isEmpty() ? r.text("Called") : r.text("To");
            if (!allowed.contains(digits(from)) && !allowed.contains(digits(to))) {
                return twiml(say("Sorry, you are calling from a restricted number. Good bye."));
            }
        }
        String action = r.selfPath() + "?Dial=true" + (r.text("FailUrl").isEmpty() ? "" : "&FailUrl=" + encode(r.text("FailUrl")));
        return twiml("<Dial action=\"" + attr(action) + "\" timeout=\"" + attr(timeout(r, "20")) + "\">" + text(r.text("PhoneNumber")) + "</Dial>");
    }

    /** Rings all PhoneNumbers at once (Timeout, default 20), each hearing Message through whisper; FailUrl when nobody answers. */
    static Reply simulring(Request r) {
        Optional<Reply> returned = afterDial(r);
        if (returned.isPresent()) {
            return returned.get();
        }
        StringBuilder dial = new StringBuilder("<Dial action=\"").append(attr(r.selfPath() + "?Dial=true&FailUrl=" + encode(r.text("FailUrl"))))
                .append("\" timeout=\"").append(attr(timeout(r, "20"))).append("\">");
        r.list("PhoneNumbers").stream().sorted().forEach(number -> dial.append("<Number url=\"")
                .append(attr("whisper?Message=" + encode(r.text("Message")))).append("\">").append(text(number)).append("</Number>"));
        return twiml(dial.append("</Dial>").toString());
    }

    /** Tries PhoneNumbers one after another (at most 10; Timeout, default 60), each callee pressing a key to accept; then FailUrl. */
    static Reply findme(Request r) {
        if (r.has("Dial") && (r.text("DialStatus").equals("answered") || r.text("DialCallStatus").equals("completed"))) {
            return twiml("<Hangup/>");
        }
        List<String> numbers = r.list("PhoneNumbers");
        numbers = numbers.subList(0, Math.min(10, numbers.size()));
        if (numbers.isEmpty()) {
            return r.text("FailUrl").isEmpty() ? twiml("<Hangup/>") : new Reply.Redirect(r.text("FailUrl"));
        }
        StringBuilder query = new StringBuilder("FailUrl=" + encode(r.text("FailUrl")) + "&Timeout=" + encode(r.text("Timeout"))
                + "&Message=" + encode(r.text("Message")));
        numbers.subList(1, numbers.size()).forEach(n -> query.append("&PhoneNumbers%5B%5D=").append(encode(n)));
        return twiml("<Dial action=\"" + attr(r.selfPath() + "?Dial=true&" + query) + "\" timeout=\"" + attr(timeout(r, "60")) + "\">"
                + "<Number url=\"" + attr("whisper?Message=" + encode(r.text("Message")) + "&HumanCheck=1") + "\">" + text(numbers.getFirst())
                + "</Number></Dial>");
    }

    /** Says or plays Message while gathering a key; Options[key] is where each key leads; no key hears the menu again. */
    static Reply menu(Request r) {
        Map<String, String> options = r.keyed("Options");
        StringBuilder out = new StringBuilder();
        if (!r.text("Digits").isEmpty()) {
            String location = options.get(r.text("Digits"));
            if (location != null) {
                return new Reply.Redirect(location);
            }
            out.append(say("I'm sorry, that wasn't a valid option."));
        }
        int maxDigits = Math.max(1, options.keySet().stream().mapToInt(String::length).max().orElse(1));
        out.append("<Gather numDigits=\"").append(maxDigits).append("\">").append(sayOrPlay(r.text("Message"), "")).append("</Gather>");
        out.append("<Redirect/>");
        return twiml(out.toString());
    }

    /** Says or plays each Message in turn (a URL is played). */
    static Reply message(Request r) {
        StringBuilder out = new StringBuilder();
        r.list("Message").forEach(m -> out.append(sayOrPlay(m, "")));
        return twiml(out.toString());
    }

    /**
     * Plays Message (or a default greeting) and records; after the recording, thanks and hangs up.
     * Twilio's twimlet then emails Email the recording; Patchbay keeps it in the account's
     * Recordings (no mail is sent) and does not transcribe.
     */
    static Reply voicemail(Request r) {
        String status = r.text("TranscriptionStatus").toLowerCase(Locale.ROOT);
        if (status.equals("completed") || status.equals("failed")) {
            return twiml("");
        }
        if (!r.text("RecordingUrl").isEmpty()) {
            return twiml(say("Thanks.  Good bye.") + "<Hangup/>");
        }
        String message = r.text("Message");
        String greeting;
        if (message.trim().toLowerCase(Locale.ROOT).startsWith("http")) {
            greeting = "<Play>" + text(message) + "</Play>";
        } else if (!message.trim().isEmpty()) {
            StringBuilder attrs = new StringBuilder();
            String language = r.text("Language").toLowerCase(Locale.ROOT);
            if (List.of("en", "en-gb", "es", "fr", "de").contains(language)) {
                attrs.append(" language=\"").append(language).append('"');
            }
            String voice = r.text("Voice").toLowerCase(Locale.ROOT);
            if (voice.equals("man") || voice.equals("woman")) {
                attrs.append(" voice=\"").append(voice).append('"');
            }
            greeting = "<Say" + attrs + ">" + text(stripSlashes(message)) + "</Say>";
        } else {
            greeting = say("Please leave a message after the beep.");
        }
        String transcribe = r.text("Transcribe");
        String record = transcribe.isEmpty() || transcribe.equalsIgnoreCase("true")
                ? "<Record transcribe=\"true\" transcribeCallback=\"" + attr(r.selfUri() + "?Email=" + r.text("Email")) + "\"/>"
                : "<Record/>";
        return twiml(greeting + record);
    }

    /**
     * Run on the callee before a call is connected (simulring's and findme's Number url): says or
     * plays Message; with HumanCheck the callee must press a key within 5 seconds or the call is
     * not connected to them.
     */
    static Reply whisper(Request r) {
        if (!r.text("Digits").isEmpty()) {
            return twiml("");   // a key was pressed: connect
        }
        String message = sayOrPlay(r.text("Message"), "");
        if (r.text("HumanCheck").isEmpty()) {
            return twiml(message);
        }
        return twiml("<Gather numDigits=\"1\" timeout=\"5\">" + message + say("Press any key to accept this call.") + "</Gather><Hangup/>");
    }

    /** Back from the Dial (forward, simulring): answered or no FailUrl ends the call, otherwise FailUrl takes over. */
    private static Optional<Reply> afterDial(Request r) {
        if (!r.has("Dial") || r.text("DialStatus").isEmpty() && r.text("DialCallStatus").isEmpty()) {
            return Optional.empty();
        }
        if (r.text("DialCallStatus").equals("completed") || r.text("DialStatus").equals("answered") || r.text("FailUrl").isEmpty()) {
            return Optional.of(twiml("<Hangup/>"));
        }
        return Optional.of(new Reply.Redirect(r.text("FailUrl")));
    }

    private static String timeout(Request r, String otherwise) {
        String t = r.text("Timeout");
        return t.isEmpty() || t.equals("0") ? otherwise : t;
    }

    private static String sayOrPlay(String message, String attrs) {
        if (message.trim().toLowerCase(Locale.ROOT).startsWith("http")) {
            return "<Play>" + text(message) + "</Play>";
        }
        return message.trim().isEmpty() ? "" : "<Say" + attrs + ">" + text(stripSlashes(message)) + "</Say>";
    }

    private static String say(String words) {
        return "<Say>" + text(words) + "</Say>";
    }

    private static Reply twiml(String body) {
        return new Reply.Twiml(Twiml.document(body));
    }

    private static String digits(String s) {
        return s.replaceAll("[^0-9]", "");
    }

    /** PHP's stripslashes: a backslash escapes the next character. */
    private static String stripSlashes(String s) {
        return s.replaceAll("\\\\(.)", "$1");
    }

    /** PHP's urlencode: like Java's form encoding, with {@code *} encoded too. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A");
    }

}
