package dev.patchbay.service;

/** Small helpers for the TwiML services write: escaping, and the document around a body. */
final class Twiml {

    private Twiml() {
    }

    static String document(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>" + body + "</Response>\n";
    }

    static String say(String words) {
        return words.isBlank() ? "" : "<Say>" + text(words) + "</Say>";
    }

    static String redirect(String url) {
        return "<Redirect>" + text(url) + "</Redirect>";
    }

    static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String attr(String s) {
        return text(s).replace("\"", "&quot;");
    }
}
