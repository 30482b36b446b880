package dev.patchbay.sip;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;

/** What a SIP request says, read the way Twilio reports it to applications. */
final class SipRequests {

    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[0-9]{4,15}");
    private static final Pattern LINE_END = Pattern.compile("\r?\n");

    private SipRequests() {
    }

    static String callId(Request request) {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    /** The Request-URI's user part (the dialled number or SIP user), empty when it has none. */
    static String dialled(Request request) {
        return request.getRequestURI() instanceof SipURI sip && sip.getUser() != null ? sip.getUser() : "";
    }

    /** The From header's address, as {@link #address} reports it. */
    static String caller(Request request) {
        return address(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI());
    }

    /** E.164 when the user part is a number, else {@code sip:user@host}, as Twilio reports SIP callers. */
    static String address(URI uri) {
        if (uri instanceof SipURI sip) {
            String user = sip.getUser() == null ? "" : sip.getUser();
            if (PHONE_NUMBER.matcher(user).matches()) {
                return user.startsWith("+") ? user : "+" + user;
            }
            return "sip:" + (user.isEmpty() ? "" : user + "@") + sip.getHost();
        }
        return uri.toString();
    }

    /** The body as text (an SDP offer, an INFO payload); empty when there is none. */
    static String body(Request request) {
        return request.getRawContent() == null ? "" : new String(request.getRawContent(), StandardCharsets.UTF_8);
    }

    /** The {@code X-} headers by name, values trimmed: they reach the application as {@code SipHeader_X-...}. */
    static Map<String, String> customHeaders(Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<?> names = request.getHeaderNames();
        while (names.hasNext()) {
            String name = (String) names.next();
            if (name.regionMatches(true, 0, "X-", 0, 2)) {
                Header h = request.getHeader(name);
                String raw = h.toString();
                int colon = raw.indexOf(':');
                out.put(name, (colon >= 0 ? raw.substring(colon + 1) : raw).trim());
            }
        }
        return out;
    }

    /** The digits of a SIP INFO in {@code application/dtmf-relay} form ({@code Signal=5}), in order. */
    static String infoDigits(Request request) {
        StringBuilder digits = new StringBuilder();
        for (String line : LINE_END.split(body(request))) {
            String l = line.trim();
            if (l.toLowerCase(Locale.ROOT).startsWith("signal=") && l.length() > 7) {   // the line is trimmed: a value follows
                digits.append(l.substring(7).trim().charAt(0));
            }
        }
        return digits.toString();
    }
}
