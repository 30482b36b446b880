package dev.patchbay.twiml;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which characters a TwiML document's bytes are: a byte order mark (UTF-8, UTF-16) decides, else
 * the XML declaration's {@code encoding}, else UTF-8. Bytes that are not valid in that encoding
 * are refused, never replaced.
 */
final class XmlEncoding {

    private static final Pattern ENCODING = Pattern.compile("encoding\\s*=\\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']");

    private XmlEncoding() {
    }

    static String decode(byte[] b) {
        Charset charset;
        int skip = 0;
        if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
            charset = StandardCharsets.UTF_8;
            skip = 3;
        } else if (b.length >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else {
            charset = declaredEncoding(b);
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, skip, b.length - skip)).toString();
        } catch (CharacterCodingException e) {
            throw new Xml.MalformedException("the document is not valid " + charset.name() + " (" + e.getMessage() + ")");
        }
    }

    /** The encoding an ASCII-compatible document's declaration names; UTF-8 without one. */
    private static Charset declaredEncoding(byte[] b) {
        if (b.length < 6 || b[0] != '<' || b[1] != '?' || b[2] != 'x' || b[3] != 'm' || b[4] != 'l' || !(b[5] == ' ' || b[5] == '\t' || b[5] == '\n' || b[5] == '\r')) {
            return StandardCharsets.UTF_8;
        }
        int end = 0;
        while (end + 1 < b.length && end < 200 && !(b[end] == '?' && b[end + 1] == '>')) {
            end++;
        }
        String declaration = new String(b, 0, end, StandardCharsets.ISO_8859_1);
        Matcher m = ENCODING.matcher(declaration);
        if (!m.find()) {
            return StandardCharsets.UTF_8;
        }
        try {
            Charset c = Charset.forName(m.group(1));
            if (c.equals(StandardCharsets.UTF_16) || c.name().startsWith("UTF-16") || c.name().startsWith("UTF-32")) {
                return StandardCharsets.UTF_8;   // a declaration readable as ASCII says the bytes are not in these
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new Xml.MalformedException("the declared encoding '" + m.group(1) + "' is not supported");
        }
    }
}
