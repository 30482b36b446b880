package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.testing.Audio;
import org.junit.jupiter.api.Test;

class TtsTest {

    @Test
    void freetts_speaks_without_any_installed_program() {
        short[] speech = Tts.create("freetts").synthesize("Hello from Patchbay.", "man", "en-US");
        assertThat(speech.length).isGreaterThan(4000);
        assertThat(Audio.rms(speech)).isGreaterThan(300);
    }

    @Test
    void the_cache_answers_the_same_text_voice_and_language_without_synthesizing_again() {
        int[] calls = {0};
        Tts counting = new Tts() {
            @Override
            public short[] synthesize(String text, String voice, String language) {
                calls[0]++;
                return new short[] {1, 2, 3};
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        CachingTts cache = new CachingTts(counting, 1000);
        cache.synthesize("a", "man", "en-US");
        cache.synthesize("a", "man", "en-US");
        cache.synthesize("a", "woman", "en-US");
        assertThat(calls[0]).isEqualTo(2);
    }
}
