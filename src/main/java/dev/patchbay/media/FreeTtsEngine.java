package dev.patchbay.media;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.audio.SingleFileAudioPlayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;

/**
 * Speech from FreeTTS (pure Java, the bundled {@code kevin16} voice, English only). FreeTTS is not
 * thread-safe, so synthesis is serialised; results are cached by {@link CachingTts}.
 */
final class FreeTtsEngine implements Tts {

    private Voice voice;

    @Override
    public String name() {
        return "freetts";
    }

    @Override
    public synchronized short[] synthesize(String text, String voiceName, String language) {
        try {
            if (voice == null) {
                System.setProperty("freetts.voices", "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory");
                voice = VoiceManager.getInstance().getVoice("kevin16");
                if (voice == null) {
                    throw new MediaException("FreeTTS voice kevin16 is not available");
                }
                voice.allocate();
            }
            Path dir = Files.createTempDirectory("patchbay-tts");
            Path base = dir.resolve("speech");
            SingleFileAudioPlayer player = new SingleFileAudioPlayer(base.toString(), AudioFileFormat.Type.WAVE);
            voice.setAudioPlayer(player);
            voice.speak(text);
            player.close();
            Path wav = dir.resolve("speech.wav");
            byte[] data = Files.readAllBytes(wav);
            Files.deleteIfExists(wav);
            Files.deleteIfExists(dir);
            return Wav.decode(data);
        } catch (IOException e) {
            throw new MediaException("FreeTTS could not write its audio", e);
        }
    }
}
