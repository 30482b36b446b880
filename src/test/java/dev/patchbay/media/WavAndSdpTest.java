package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.testing.Audio;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WavAndSdpTest {

    /** A WAV file of {@code rate} Hz, {@code channels} channels, 16-bit PCM or 8-bit G.711 (format 6/7), holding a 1 kHz tone. */
    private static byte[] wav(int format, int rate, int channels, int bits, double seconds) {
        int frames = (int) (rate * seconds);
        int bytesPerSample = bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + frames * channels * bytesPerSample).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + frames * channels * bytesPerSample).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) format).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bytesPerSample).putShort((short) (channels * bytesPerSample)).putShort((short) bits);
        b.put("data".getBytes()).putInt(frames * channels * bytesPerSample);
        for (int i = 0; i < frames; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * 1000 * i / rate));
            for (int c = 0; c < channels; c++) {
                switch (format) {
                    case 7 -> b.put(G711.linearToUlaw(s));
                    case 6 -> b.put(G711.linearToAlaw(s));
                    default -> b.putShort(s);
                }
            }
        }
        return b.array();
    }

    @Test
    void wav_of_any_common_rate_width_and_law_becomes_8khz_mono_pcm() {
        for (byte[] file : new byte[][] {wav(1, 8000, 1, 16, 1), wav(1, 16000, 1, 16, 1), wav(1, 22050, 2, 16, 1),
                wav(1, 44100, 1, 16, 1), wav(7, 8000, 1, 8, 1), wav(6, 8000, 1, 8, 1)}) {
            short[] pcm = Wav.decode(file);
            assertThat(pcm.length).isBetween(7990, 8000);
            assertThat(Audio.toneShare(pcm, 1000)).isGreaterThan(0.9);
        }
    }

    @Test
    void resampling_removes_what_the_telephone_band_cannot_carry() {
        // 6 kHz at 16 kHz would alias to 2 kHz if not filtered.
        int rate = 16000;
        ByteBuffer b = ByteBuffer.wrap(Wav.encode(new short[0]));
        short[] high = new short[rate];
        for (int i = 0; i < high.length; i++) {
            high[i] = (short) (8000 * Math.sin(2 * Math.PI * 6000 * i / rate));
        }
        short[] down = Resampler.to8k(high, rate);
        assertThat(Audio.rms(down)).isLessThan(400);
        assertThat(b.capacity()).isEqualTo(44);
    }

    @Test
    void unsupported_wav_is_refused_with_a_reason() {
        byte[] float32 = wav(1, 8000, 1, 16, 0.1);
        float32[20] = 3;   // IEEE float
        assertThatThrownBy(() -> Wav.decode(float32)).isInstanceOf(MediaException.class).hasMessageContaining("format code 3");
        assertThatThrownBy(() -> Wav.decode("ID3 mp3".getBytes())).isInstanceOf(MediaException.class);
    }

    @Test
    void sdp_offer_is_read_for_address_codecs_events_and_hold() {
        String offer = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 18 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\na=sendonly\r\n";
        Sdp sdp = Sdp.parse(offer);
        assertThat(sdp.address()).isEqualTo("10.0.0.1");
        assertThat(sdp.port()).isEqualTo(4000);
        assertThat(sdp.preferredCodec()).contains(Codec.PCMA);
        assertThat(sdp.telephoneEvent()).contains(96);
        assertThat(sdp.direction()).isEqualTo(Sdp.Direction.SENDONLY);
        assertThat(sdp.direction().answer()).isEqualTo(Sdp.Direction.RECVONLY);
        assertThat(Sdp.parse(offer.replace("c=IN IP4 10.0.0.1", "c=IN IP4 0.0.0.0").replace("a=sendonly\r\n", "")).direction())
                .isEqualTo(Sdp.Direction.SENDONLY);
        assertThatThrownBy(() -> Sdp.parse("v=0\r\nm=video 5 RTP/AVP 96\r\n")).isInstanceOf(MediaException.class);
    }
}
