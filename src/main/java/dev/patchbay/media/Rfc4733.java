package dev.patchbay.media;

/** RFC 4733 telephone-event codes for the DTMF keys. */
final class Rfc4733 {

    private Rfc4733() {
    }

    static int eventCode(char digit) {
        return switch (digit) {
            case '*' -> 10;
            case '#' -> 11;
            case 'A', 'a' -> 12;
            case 'B', 'b' -> 13;
            case 'C', 'c' -> 14;
            case 'D', 'd' -> 15;
            default -> digit >= '0' && digit <= '9' ? digit - '0' : -1;
        };
    }

    static char eventDigit(int event) {
        return event < 10 ? (char) ('0' + event) : "*#ABCD".charAt(Math.min(event - 10, 5));
    }
}
