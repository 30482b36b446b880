package dev.patchbay.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Generated signals: sine tones, the record beep, and DTMF pairs. */
public final class Tones {

    private Tones() {
    }

    /** A sum of sines at the given frequencies, each at {@code amplitude} (0-32767), for {@code millis}. */
    public static short[] sine(int millis, int amplitude, double... frequencies) {
        short[] out = new short[millis * Codec.SAMPLE_RATE / 1000];
        for (int i = 0; i < out.length; i++) {
            double v = 0;
            for (double f : frequencies) {
                v += Math.sin(2 * Math.PI * f * i / Codec.SAMPLE_RATE);
            }
            out[i] = (short) Math.max(-32767, Math.min(32767, Math.round(v * amplitude)));
        }
        return out;
    }

    /** The beep before a recording: 1 kHz for 250 ms. */
    public static short[] beep() {
        return sine(250, 8000, 1000);
    }

    /** The two DTMF frequencies of a key. */
    public static double[] dtmf(char key) {
        String keys = "123A456B789C*0#D";
        int i = keys.indexOf(Character.toUpperCase(key));
        if (i < 0) {
            throw new IllegalArgumentException("not a DTMF key: " + key);
        }
        double[] rows = {697, 770, 852, 941};
        double[] cols = {1209, 1336, 1477, 1633};
        return new double[] {rows[i / 4], cols[i % 4]};
    }

    /**
     * One cadence of a country's ringback tone ({@code ringTone} of Dial): North America by
     * default (440+480 Hz, 2 s on, 4 s off); the UK, Australia and Europe's common ones by code.
     */
    public static AudioSource ringback(String country) {
        return switch (country.toLowerCase(Locale.ROOT)) {
            case "uk", "gb", "au", "nz", "ie" -> AudioSource.concat(
                    AudioSource.of(sine(400, 4000, 400, 450), 1), AudioSource.silence(200),
                    AudioSource.of(sine(400, 4000, 400, 450), 1), AudioSource.silence(2000));
            case "de", "at", "ch", "fr", "it", "es", "nl", "be", "se", "no", "dk", "fi", "pt", "pl" -> AudioSource.concat(
                    AudioSource.of(sine(1000, 4000, 425), 1), AudioSource.silence(4000));
            default -> AudioSource.concat(AudioSource.of(sine(2000, 4000, 440, 480), 1), AudioSource.silence(4000));
        };
    }

    /** A soft rising chime, then quiet, about five seconds: what waiting callers hear by default. */
    public static short[] holdMusic() {
        List<short[]> parts = new ArrayList<>();
        for (double note : new double[] {523.25, 659.25, 783.99, 1046.5, 783.99, 659.25}) {
            parts.add(sine(450, 2500, note));
            parts.add(new short[800]);   // 100 ms between notes
        }
        parts.add(new short[16000]);   // two seconds of quiet
        int length = parts.stream().mapToInt(p -> p.length).sum();
        short[] out = new short[length];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
