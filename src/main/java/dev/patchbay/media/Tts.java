package dev.patchbay.media;

import dev.patchbay.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text to speech: 8 kHz mono PCM for a text, a voice and a language. The default engine works
 * offline: espeak-ng when its program is installed, else FreeTTS (pure Java, bundled). A cloud
 * engine plugs in by implementing this interface and passing it to the node.
 */
public interface Tts {

    short[] synthesize(String text, String voice, String language);

    String name();

    /** The engine for the {@code tts.engine} setting: {@code auto}, {@code espeak} or {@code freetts}. */
    static Tts create(String setting) {
        return switch (setting) {
            case "espeak" -> new EspeakTts(EspeakTts.findProgram().orElseThrow(() -> new MediaException("tts.engine=espeak but espeak-ng is not installed")));
            case "freetts" -> new FreeTtsEngine();
            case "auto" -> EspeakTts.findProgram().<Tts>map(EspeakTts::new).orElseGet(FreeTtsEngine::new);
            default -> throw new ConfigException("tts.engine must be auto, espeak or freetts, not " + setting);
        };
    }

    static boolean isExecutable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
