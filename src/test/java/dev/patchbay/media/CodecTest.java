package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void g711_round_trips_within_its_quantisation_error() {
        for (Codec codec : Codec.values()) {
            short[] pcm = Tones.sine(20, 12000, 1000);
            byte[] encoded = new byte[pcm.length];
            codec.encode(pcm, encoded);
            short[] decoded = new short[pcm.length];
            codec.decode(encoded, 0, encoded.length, decoded);
            for (int i = 0; i < pcm.length; i++) {
                assertThat(Math.abs(decoded[i] - pcm[i])).as(codec + " sample " + i).isLessThanOrEqualTo(Math.max(16, Math.abs(pcm[i]) / 16));
            }
        }
    }

    @Test
    void every_16_bit_sample_encodes_within_the_quantisation_error_and_as_the_companding_law_says() {
        short[] pcm = new short[65536];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (i - 32768);
        }
        for (Codec codec : Codec.values()) {
            byte[] encoded = new byte[pcm.length];
            codec.encode(pcm, encoded);
            short[] decoded = new short[pcm.length];
            codec.decode(encoded, 0, encoded.length, decoded);
            for (int i = 0; i < pcm.length; i++) {
                byte byLaw = codec == Codec.PCMU ? G711.linearToUlaw(pcm[i]) : G711.linearToAlaw(pcm[i]);
                assertThat(encoded[i]).as(codec + " sample " + pcm[i]).isEqualTo(byLaw);
                int allowed = Math.max(16, Math.abs(pcm[i]) / 16) + Math.max(0, Math.abs(pcm[i]) - 32635);   // beyond the clip level: clipped
                assertThat(Math.abs(decoded[i] - pcm[i])).as(codec + " sample " + pcm[i]).isLessThanOrEqualTo(allowed);
            }
        }
    }

    @Test
    void transcoding_between_laws_keeps_the_signal() {
        short[] tone = Tones.sine(20, 6000, 1000);
        byte[] ulaw = new byte[160];
        Codec.PCMU.encode(tone, ulaw);
        ByteBuffer buffer = ByteBuffer.allocate(172);
        buffer.position(12);
        buffer.put(ulaw).flip();
        G711.transcode(buffer, 12, 160, true);
        byte[] alaw = new byte[160];
        buffer.get(12, alaw);
        short[] back = new short[160];
        Codec.PCMA.decode(alaw, 0, 160, back);
        for (int i = 0; i < 160; i++) {
            assertThat(Math.abs(back[i] - tone[i])).isLessThanOrEqualTo(Math.max(64, Math.abs(tone[i]) / 12));
        }
    }

    @Test
    void silence_encodes_to_the_standard_code_words() {
        assertThat(G711.linearToUlaw(0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToAlaw(0)).isEqualTo((byte) 0xD5);
    }

    @Test
    void goertzel_detects_every_key_once_per_press_and_ignores_speech_like_tones() {
        for (char key : "0123456789*#ABCD".toCharArray()) {
            Goertzel detector = new Goertzel();
            short[] tone = Tones.sine(100, 6000, Tones.dtmf(key));
            int hits = 0;
            char seen = 0;
            for (int i = 0; i + 160 <= tone.length; i += 160) {
                char d = detector.feed(Arrays.copyOfRange(tone, i, i + 160));
                if (d != 0) {
                    hits++;
                    seen = d;
                }
            }
            assertThat(hits).as("key " + key).isEqualTo(1);
            assertThat(seen).isEqualTo(key);
        }
        Goertzel detector = new Goertzel();
        short[] chord = Tones.sine(200, 4000, 440, 660, 880);
        for (int i = 0; i + 160 <= chord.length; i += 160) {
            assertThat(detector.feed(Arrays.copyOfRange(chord, i, i + 160))).isEqualTo((char) 0);
        }
    }

    @Test
    void jitter_buffer_reorders_drops_duplicates_and_skips_lost_packets() {
        JitterBuffer jb = new JitterBuffer(3);
        byte[][] p = new byte[10][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new byte[] {(byte) i};
        }
        StringBuilder out = new StringBuilder();
        int[] arrival = {0, 2, 1, 1, 3, 5, 6, 7, 8};   // 1 late and duplicated, 4 lost
        for (int seq : arrival) {
            jb.push(65530 + seq & 0xffff, p[seq]).forEach(b -> out.append(b[0]));
        }
        assertThat(out.toString()).isEqualTo("0123" + "5678");
    }
}
