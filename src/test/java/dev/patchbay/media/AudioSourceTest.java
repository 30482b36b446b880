package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sender reads sources as encoded frames: they must be the frames' PCM encoded, however the bytes were shared. */
class AudioSourceTest {

    /** A 1 kHz tone of {@code n} samples. */
    private static short[] samples(int n) {
        return Arrays.copyOf(Tones.sine(1000, 8000, 1000), n);
    }

    private static byte[] play(AudioSource source, Codec codec) {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        short[] scratch = new short[Codec.FRAME_SAMPLES];
        byte[] payload = new byte[Codec.FRAME_SAMPLES];
        while (source.read(codec, scratch, payload)) {
            sent.writeBytes(payload);
        }
        return sent.toByteArray();
    }

    private static byte[] encodedFrames(short[] pcm, Codec codec, int loops) {
        int frames = (pcm.length + Codec.FRAME_SAMPLES - 1) / Codec.FRAME_SAMPLES;
        short[] padded = Arrays.copyOf(pcm, frames * Codec.FRAME_SAMPLES);   // the last frame filled with silence
        byte[] once = new byte[padded.length];
        codec.encode(padded, once);
        byte[] all = new byte[once.length * loops];
        for (int i = 0; i < loops; i++) {
            System.arraycopy(once, 0, all, i * once.length, once.length);
        }
        return all;
    }

    @Test
    void a_prompt_played_by_many_streams_in_both_codecs_sends_its_pcm_encoded_with_the_last_frame_padded() {
        short[] prompt = samples(1234);   // 7 whole frames and 114 samples
        for (Codec codec : Codec.values()) {
            byte[] expected = encodedFrames(prompt, codec, 2);
            assertThat(play(AudioSource.of(prompt, 2), codec)).as("%s, first stream", codec).isEqualTo(expected);
            assertThat(play(AudioSource.of(prompt, 2), codec)).as("%s, a later stream sharing the bytes", codec).isEqualTo(expected);
        }
    }

    @Test
    void a_stream_that_starts_while_another_is_halfway_hears_the_prompt_from_its_start() {
        short[] prompt = samples(3200);
        AudioSource first = AudioSource.of(prompt, 1);
        short[] scratch = new short[Codec.FRAME_SAMPLES];
        byte[] payload = new byte[Codec.FRAME_SAMPLES];
        for (int i = 0; i < 10; i++) {
            assertThat(first.read(Codec.PCMA, scratch, payload)).isTrue();   // the shared bytes are encoded up to frame 10
        }
        assertThat(play(AudioSource.of(prompt, 1), Codec.PCMA)).isEqualTo(encodedFrames(prompt, Codec.PCMA, 1));
        byte[] rest = play(first, Codec.PCMA);
        assertThat(rest).isEqualTo(Arrays.copyOfRange(encodedFrames(prompt, Codec.PCMA, 1), 10 * Codec.FRAME_SAMPLES, prompt.length));
    }

    @Test
    void silence_lasts_its_length_in_whole_frames_of_the_codecs_silent_byte() {
        assertThat(play(AudioSource.silence(0), Codec.PCMU)).isEmpty();
        byte[] pcmu = play(AudioSource.silence(30), Codec.PCMU);   // a part of a frame is a whole one
        assertThat(pcmu).hasSize(2 * Codec.FRAME_SAMPLES);
        byte[] zero = new byte[1];
        Codec.PCMU.encode(new short[1], zero);
        assertThat(pcmu).containsOnly(zero[0]);
        Codec.PCMA.encode(new short[1], zero);
        assertThat(play(AudioSource.silence(1000), Codec.PCMA)).hasSize(50 * Codec.FRAME_SAMPLES).containsOnly(zero[0]);
    }

    @Test
    void the_pcm_read_of_a_source_is_unchanged() {
        short[] prompt = samples(200);
        AudioSource source = AudioSource.of(prompt, 1);
        short[] frame = new short[Codec.FRAME_SAMPLES];
        assertThat(source.read(frame)).isTrue();
        assertThat(frame).isEqualTo(Arrays.copyOfRange(prompt, 0, Codec.FRAME_SAMPLES));
        assertThat(source.read(frame)).isTrue();
        assertThat(Arrays.copyOfRange(frame, 0, 40)).isEqualTo(Arrays.copyOfRange(prompt, 160, 200));
        assertThat(Arrays.copyOfRange(frame, 40, Codec.FRAME_SAMPLES)).containsOnly((short) 0);
        assertThat(source.read(frame)).isFalse();
    }
}
