package dev.patchbay.twiml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict reader of the XML that TwiML documents are: elements, attributes, text, CDATA sections,
 * comments and processing instructions, in UTF-8, UTF-16 or the encoding the declaration names.
 * There is no DTD: a document type declaration is an error, as is any entity but XML's five and
 * character references, so nothing is fetched or expanded. Whatever XML 1.0 does not call
 * well-formed is refused with the line and column where reading stopped.
 *
 * <p>Written for TwiML's small documents: the JDK's Xerces spent ten times longer configuring and
 * resetting itself for each document than reading it (docs/BENCHMARKS.md, session 12).
 */
final class Xml {

    /** Nesting deeper than this is refused (TwiML nests three levels). */
    static final int MAX_DEPTH = 64;

    /** An element: its name, attributes in document order, and content (elements and text, as {@code Element} and {@code String}). */
    record Element(String name, Map<String, String> attributes, List<Object> content) {

        Optional<String> attribute(String attribute) {
            return Optional.ofNullable(attributes.get(attribute));
        }

        /** Its child elements, in order. */
        List<Element> elements() {
            List<Element> out = new ArrayList<>(content.size());
            for (Object o : content) {
                if (o instanceof Element e) {
                    out.add(e);
                }
            }
            return out;
        }

        /** Its text and that of every element inside it, concatenated in document order (the DOM's textContent). */
        String text() {
            if (content.size() == 1 && content.getFirst() instanceof String s) {
                return s;
            }
            StringBuilder b = new StringBuilder();
            appendText(b);
            return b.toString();
        }

        private void appendText(StringBuilder b) {
            for (Object o : content) {
                if (o instanceof Element e) {
                    e.appendText(b);
                } else {
                    b.append((String) o);
                }
            }
        }
    }

    /** A document that is not well-formed XML, or uses what this reader refuses (a DTD, an unknown entity). */
    static final class MalformedException extends RuntimeException {
        MalformedException(String message) {
            super(message);
        }
    }

    private final String s;
    private int pos;

    private Xml(String s) {
        this.s = s;
    }

    /** Reads a whole document; returns its root element. */
    static Element parse(byte[] bytes) {
        String text = XmlEncoding.decode(bytes);
        if (text.indexOf('\r') >= 0) {
            text = text.replace("\r\n", "\n").replace('\r', '\n');   // XML's end-of-line handling
        }
        return new Xml(text).document();
    }

    private Element document() {
        if (s.startsWith("<?xml") && s.length() > 5 && space(s.charAt(5))) {
            skipPast("?>", "the XML declaration");
        }
        misc();
        if (s.startsWith("<!DOCTYPE", pos)) {
            throw error("a document type declaration (DTD) is not allowed");
        }
        if (pos >= s.length() || s.charAt(pos) != '<') {
            throw error(pos >= s.length() ? "the document is empty" : "content before the root element");
        }
        Element root = element(0);
        misc();
        if (pos < s.length()) {
            throw error("content after the root element");
        }
        return root;
    }

    /** Whitespace, comments and processing instructions, as allowed around the root element. */
    private void misc() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (space(c)) {
                pos++;
            } else if (s.startsWith("<!--", pos)) {
                comment();
            } else if (s.startsWith("<?", pos)) {
                instruction();
            } else {
                return;
            }
        }
    }

    private Element element(int depth) {
        if (depth >= MAX_DEPTH) {
            throw error("elements nest deeper than " + MAX_DEPTH);
        }
        pos++;   // '<'
        String name = name();
        Map<String, String> attributes = Map.of();
        while (true) {
            boolean spaced = skipSpace();
            if (pos >= s.length()) {
                throw error("the document ends inside <" + name + ">");
            }
            char c = s.charAt(pos);
            if (c == '/') {
                expect("/>", "<" + name + ">");
                return new Element(name, attributes, List.of());
            }
            if (c == '>') {
                pos++;
                break;
            }
            if (!spaced) {
                throw error("expected whitespace, '>' or '/>' in <" + name + ">");
            }
            String attribute = name();
            skipSpace();
            expect("=", "attribute " + attribute);
            skipSpace();
            String value = attributeValue();
            if (attributes.isEmpty()) {
                attributes = new LinkedHashMap<>();
            }
            if (attributes.putIfAbsent(attribute, value) != null) {
                throw error("attribute " + attribute + " appears twice in <" + name + ">");
            }
        }
        List<Object> content = new ArrayList<>(4);
        StringBuilder text = null;
        while (true) {
            if (pos >= s.length()) {
                throw error("the document ends before </" + name + ">");
            }
            char c = s.charAt(pos);
            if (c != '<') {
                text = text(text);
            } else if (s.startsWith("</", pos)) {
                pos += 2;
                String end = name();
                if (!end.equals(name)) {
                    throw error("</" + end + "> closes <" + name + ">");
                }
                skipSpace();
                expect(">", "</" + name);
                flush(content, text);
                return new Element(name, attributes, content);
            } else if (s.startsWith("<![CDATA[", pos)) {
                int end = s.indexOf("]]>", pos + 9);
                if (end < 0) {
                    throw error("a CDATA section is not closed");
                }
                text = text == null ? new StringBuilder() : text;
                checkChars(pos + 9, end);
                text.append(s, pos + 9, end);
                pos = end + 3;
            } else if (s.startsWith("<!--", pos)) {
                comment();
            } else if (s.startsWith("<?", pos)) {
                instruction();
            } else if (s.startsWith("<!", pos)) {
                throw error("markup declarations are not allowed");
            } else {
                flush(content, text);
                text = null;
                content.add(element(depth + 1));
            }
        }
    }

    private static void flush(List<Object> content, StringBuilder text) {
        if (text != null && !text.isEmpty()) {
            content.add(text.toString());
        }
    }

    /** Character data up to the next '<', references replaced. */
    private StringBuilder text(StringBuilder into) {
        StringBuilder b = into == null ? new StringBuilder() : into;
        int start = pos;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '<') {
                break;
            }
            if (c == '&') {
                b.append(s, start, pos);
                b.append(reference());
                start = pos;
                continue;
            }
            if (c == '>' && pos >= 2 && s.charAt(pos - 1) == ']' && s.charAt(pos - 2) == ']') {
                throw error("']]>' is not allowed in text");
            }
            if (!allowed(c)) {
                throw error("character U+" + Integer.toHexString(c) + " is not allowed in XML");
            }
            pos++;
        }
        b.append(s, start, pos);
        return b;
    }

    private String attributeValue() {
        if (pos >= s.length() || (s.charAt(pos) != '"' && s.charAt(pos) != '\'')) {
            throw error("an attribute value must be quoted");
        }
        char quote = s.charAt(pos++);
        StringBuilder b = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) {
                throw error("an attribute value is not closed");
            }
            char c = s.charAt(pos);
            if (c == quote) {
                String value = b == null ? s.substring(start, pos) : b.append(s, start, pos).toString();
                pos++;
                return value;
            }
            if (c == '<') {
                throw error("'<' is not allowed in an attribute value");
            }
            if (c == '&' || c == '\t' || c == '\n') {
                b = b == null ? new StringBuilder() : b;
                b.append(s, start, pos);
                if (c == '&') {
                    b.append(reference());
                } else {
                    b.append(' ');   // attribute-value normalization
                    pos++;
                }
                start = pos;
                continue;
            }
            if (!allowed(c)) {
                throw error("character U+" + Integer.toHexString(c) + " is not allowed in XML");
            }
            pos++;
        }
    }

    /** An entity or character reference at '&'; what it stands for. */
    private String reference() {
        int semicolon = s.indexOf(';', pos);
        if (semicolon < 0 || semicolon - pos > 12) {
            throw error("'&' must start a reference such as &amp;");
        }
        String ref = s.substring(pos + 1, semicolon);
        String value = switch (ref) {
            case "lt" -> "<";
            case "gt" -> ">";
            case "amp" -> "&";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> characterReference(ref);
        };
        pos = semicolon + 1;
        return value;
    }

    private String characterReference(String ref) {
        if (!ref.startsWith("#")) {
            throw error("the entity &" + ref + "; is not defined (only &lt; &gt; &amp; &quot; &apos; and character references are)");
        }
        int code;
        try {
            code = ref.startsWith("#x") ? Integer.parseInt(ref.substring(2), 16) : Integer.parseInt(ref.substring(1));
        } catch (NumberFormatException e) {
            throw error("&" + ref + "; is not a character reference");
        }
        if (!(code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) || (code >= 0xE000 && code <= 0xFFFD)
                || (code >= 0x10000 && code <= 0x10FFFF))) {
            throw error("&" + ref + "; is not a character XML allows");
        }
        return Character.toString(code);
    }

    private void comment() {
        int end = s.indexOf("--", pos + 4);
        if (end < 0) {
            throw error("a comment is not closed");
        }
        if (end + 2 >= s.length() || s.charAt(end + 2) != '>') {
            throw error("'--' is not allowed inside a comment");
        }
        checkChars(pos + 4, end);
        pos = end + 3;
    }

    private void instruction() {
        pos += 2;
        String target = name();
        if (target.equalsIgnoreCase("xml")) {
            throw error("an XML declaration is allowed only at the very start");
        }
        int end = s.indexOf("?>", pos);
        if (end < 0) {
            throw error("a processing instruction is not closed");
        }
        checkChars(pos, end);
        pos = end + 2;
    }

    private String name() {
        int start = pos;
        if (pos >= s.length() || !nameStart(s.charAt(pos))) {
            throw error("expected a name");
        }
        pos++;
        while (pos < s.length() && nameChar(s.charAt(pos))) {
            pos++;
        }
        return s.substring(start, pos);
    }

    private boolean skipSpace() {
        int start = pos;
        while (pos < s.length() && space(s.charAt(pos))) {
            pos++;
        }
        return pos > start;
    }

    private void skipPast(String end, String what) {
        int at = s.indexOf(end, pos);
        if (at < 0) {
            throw error(what + " is not closed");
        }
        pos = at + end.length();
    }

    private void expect(String token, String where) {
        if (!s.startsWith(token, pos)) {
            throw error("expected '" + token + "' after " + where);
        }
        pos += token.length();
    }

    private void checkChars(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!allowed(s.charAt(i))) {
                pos = i;
                throw error("character U+" + Integer.toHexString(s.charAt(i)) + " is not allowed in XML");
            }
        }
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** XML 1.0's Char, for one UTF-16 unit: surrogates pass (the decoder has already paired them). */
    private static boolean allowed(char c) {
        return c >= 0x20 ? c < 0xFFFE : c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean nameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (c >= 0xC0 && c != 0xD7 && c != 0xF7 && allowed(c));
    }

    private static boolean nameChar(char c) {
        return nameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == 0xB7;
    }

    private MalformedException error(String message) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new MalformedException("line " + line + ", column " + column + ": " + message);
    }
}
