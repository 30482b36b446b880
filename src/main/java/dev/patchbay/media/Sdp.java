package dev.patchbay.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The slice of SDP (RFC 4566, offer/answer per RFC 3264) a G.711 voice endpoint needs: the
 * audio address and port, the payload types offered, telephone-event, and the direction.
 */
public record Sdp(String address, int port, List<Integer> payloadTypes, Optional<Integer> telephoneEvent, Direction direction) {

    /** Media direction attributes; hold is the remote side sending {@code sendonly} or {@code inactive}. */
    public enum Direction {
        SENDRECV, SENDONLY, RECVONLY, INACTIVE;

        public String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** What we answer to an offer with this direction. */
        public Direction answer() {
            return switch (this) {
                case SENDONLY -> RECVONLY;
                case RECVONLY -> SENDONLY;
                default -> this;
            };
        }
    }

    private static final Pattern LINE_END = Pattern.compile("\r?\n");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** Parses an offer or answer; throws {@link MediaException} when there is no usable audio line. */
    public static Sdp parse(String text) {
        String sessionAddress = null;
        String mediaAddress = null;
        int port = -1;
        List<Integer> pts = new ArrayList<>();
        Integer telephoneEvent = null;
        Direction direction = Direction.SENDRECV;
        boolean inAudio = false;
        boolean seenAudio = false;
        for (String raw : LINE_END.split(text)) {
            String line = raw.trim();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                inAudio = value.startsWith("audio ") && !seenAudio;
                if (inAudio) {
                    seenAudio = true;
                    String[] parts = SPACES.split(value);
                    if (parts.length < 4) {
                        throw new MediaException("malformed m= line: " + line);
                    }
                    port = parseInt(parts[1].split("/")[0], "m= port");
                    for (int i = 3; i < parts.length; i++) {
                        pts.add(parseInt(parts[i], "payload type"));
                    }
                }
            } else if (type == 'c') {
                String[] parts = SPACES.split(value);
                if (parts.length >= 3) {
                    String address = parts[2].split("/")[0];
                    if (seenAudio && inAudio) {
                        mediaAddress = address;
                    } else if (!seenAudio) {
                        sessionAddress = address;
                    }
                }
            } else if (type == 'a' && (inAudio || !seenAudio)) {
                String lower = value.toLowerCase(Locale.ROOT);
                if (inAudio && lower.startsWith("rtpmap:") && lower.contains("telephone-event/8000")) {
                    telephoneEvent = parseInt(value.substring(7, value.indexOf(' ')).trim(), "rtpmap payload type");
                }
                switch (lower) {
                    case "sendonly" -> direction = Direction.SENDONLY;
                    case "recvonly" -> direction = Direction.RECVONLY;
                    case "inactive" -> direction = Direction.INACTIVE;
                    case "sendrecv" -> direction = Direction.SENDRECV;
                    default -> { }
                }
            }
        }
        if (!seenAudio) {
            throw new MediaException("the SDP has no audio m= line");
        }
        String address = mediaAddress != null ? mediaAddress : sessionAddress;
        if (address == null) {
            throw new MediaException("the SDP has no c= connection address");
        }
        if (address.equals("0.0.0.0")) {
            direction = direction == Direction.SENDRECV ? Direction.SENDONLY : direction;   // RFC 2543 hold
        }
        return new Sdp(address, port, List.copyOf(pts), Optional.ofNullable(telephoneEvent), direction);
    }

    private static int parseInt(String s, String what) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new MediaException("malformed " + what + ": " + s);
        }
    }

    /** The first codec in the offer's preference order that we support. */
    public Optional<Codec> preferredCodec() {
        return payloadTypes.stream().map(Codec::byPayloadType).flatMap(Optional::stream).findFirst();
    }

    /** Our SDP for a stream: one codec, telephone-event when the peer offered it (or always in an offer). */
    public static String describe(String publicHost, int port, Codec codec, int telephoneEventPt, Direction direction, long sessionVersion) {
        String codecName = codec == Codec.PCMU ? "PCMU" : "PCMA";
        return "v=0\r\n"
                + "o=patchbay " + sessionVersion + " " + sessionVersion + " IN IP4 " + publicHost + "\r\n"
                + "s=patchbay\r\n"
                + "c=IN IP4 " + publicHost + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP " + codec.payloadType() + " " + telephoneEventPt + "\r\n"
                + "a=rtpmap:" + codec.payloadType() + " " + codecName + "/8000\r\n"
                + "a=rtpmap:" + telephoneEventPt + " telephone-event/8000\r\n"
                + "a=fmtp:" + telephoneEventPt + " 0-16\r\n"
                + "a=ptime:20\r\n"
                + "a=" + direction.attribute() + "\r\n";
    }

    /** An offer for an outgoing leg: both G.711 laws, {@code preferred} first, and telephone-event 101. */
    public static String offer(String publicHost, int port, Codec preferred, long sessionVersion) {
        Codec other = preferred == Codec.PCMU ? Codec.PCMA : Codec.PCMU;
        return "v=0\r\n"
                + "o=patchbay " + sessionVersion + " " + sessionVersion + " IN IP4 " + publicHost + "\r\n"
                + "s=patchbay\r\n"
                + "c=IN IP4 " + publicHost + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP " + preferred.payloadType() + " " + other.payloadType() + " 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n";
    }
}
