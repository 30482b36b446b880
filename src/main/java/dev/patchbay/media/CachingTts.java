package dev.patchbay.media;

import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers synthesized speech keyed by text, voice and language; bounded by total samples (LRU). */
public final class CachingTts implements Tts {

    private final Tts engine;
    private final long maxSamples;
    private long samples;
    private final LinkedHashMap<String, short[]> cache = new LinkedHashMap<>(64, 0.75f, true);

    public CachingTts(Tts engine, long maxSamples) {
        this.engine = engine;
        this.maxSamples = maxSamples;
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public short[] synthesize(String text, String voice, String language) {
        String key = voice + '\u0000' + language + '\u0000' + text;
        synchronized (cache) {
            short[] hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        short[] pcm = engine.synthesize(text, voice, language);
        synchronized (cache) {
            if (cache.put(key, pcm) == null) {
                samples += pcm.length;
            }
            var it = cache.entrySet().iterator();
            while (samples > maxSamples && it.hasNext()) {
                Map.Entry<String, short[]> eldest = it.next();
                if (eldest.getValue() != pcm) {
                    samples -= eldest.getValue().length;
                    it.remove();
                }
            }
        }
        return pcm;
    }
}
