package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AudioSourceTest {

    private static int frames(AudioSource source) {
        short[] frame = new short[Codec.FRAME_SAMPLES];
        int n = 0;
        while (source.read(frame)) {
            assertThat(frame).containsOnly((short) 0);
            n++;
        }
        return n;
    }

    @Test
    void silence_lasts_its_length_in_whole_frames() {
        assertThat(frames(AudioSource.silence(0))).isZero();
        assertThat(frames(AudioSource.silence(30))).isEqualTo(2);   // a part of a frame is a whole one
        assertThat(frames(AudioSource.silence(60_000))).isEqualTo(3000);
    }

    @Test
    void fixed_pcm_plays_its_loops_with_the_last_frame_padded_with_silence() {
        short[] prompt = Arrays.copyOf(Tones.sine(1000, 8000, 1000), 200);
        AudioSource source = AudioSource.of(prompt, 2);
        short[] frame = new short[Codec.FRAME_SAMPLES];
        for (int loop = 0; loop < 2; loop++) {
            assertThat(source.read(frame)).isTrue();
            assertThat(frame).isEqualTo(Arrays.copyOfRange(prompt, 0, Codec.FRAME_SAMPLES));
            assertThat(source.read(frame)).isTrue();
            assertThat(Arrays.copyOfRange(frame, 0, 40)).isEqualTo(Arrays.copyOfRange(prompt, 160, 200));
            assertThat(Arrays.copyOfRange(frame, 40, Codec.FRAME_SAMPLES)).containsOnly((short) 0);
        }
        assertThat(source.read(frame)).isFalse();
    }
}
