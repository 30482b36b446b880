package dev.patchbay.number;

import dev.patchbay.PatchbayException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The addresses a number resource can own: an E.164 number ({@code +14155550100}) or a SIP
 * address ({@code sip:alice}), and how an incoming Request-URI user maps to them.
 */
public final class PhoneNumbers {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern SIP_USER = Pattern.compile("sip:[A-Za-z0-9._~!$&'()*+,;=%-]{1,64}");

    private PhoneNumbers() {
    }

    /** The canonical form of a number, or error 21421 naming it. */
    public static String normalize(String value) {
        String v = value.trim().replace(" ", "").replace("-", "").replace("(", "").replace(")", "");
        if (E164.matcher(v).matches()) {
            return v;
        }
        String sip = value.trim();
        if (sip.regionMatches(true, 0, "sip:", 0, 4)) {
            int at = sip.indexOf('@');
            String user = "sip:" + (at > 0 ? sip.substring(4, at) : sip.substring(4));
            if (SIP_USER.matcher(user).matches() && !user.equals("sip:")) {
                return user;
            }
        }
        throw new PatchbayException.InvalidParameter(21421, "PhoneNumber is invalid: '" + value
                + "' is neither an E.164 number such as +14155550100 nor a SIP address such as sip:alice");
    }

    public static boolean isE164(String value) {
        return E164.matcher(value).matches();
    }

    /** The stored forms a SIP Request-URI user may name, most specific first. */
    public static List<String> candidatesForSipUser(String user) {
        if (E164.matcher(user).matches()) {
            return List.of(user);
        }
        if (user.matches("[1-9][0-9]{1,14}")) {
            return List.of("+" + user, "sip:" + user);
        }
        return List.of("sip:" + user);
    }
}
