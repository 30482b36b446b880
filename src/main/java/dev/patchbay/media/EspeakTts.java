package dev.patchbay.media;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Speech from Debian's {@code espeak-ng} program, run per text (results are cached by {@link CachingTts}). */
final class EspeakTts implements Tts {

    private final Path program;

    EspeakTts(Path program) {
        this.program = program;
    }

    static Optional<Path> findProgram() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "espeak-ng");
            if (Tts.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "espeak-ng";
    }

    @Override
    public short[] synthesize(String text, String voice, String language) {
        String espeakVoice = language.toLowerCase(Locale.ROOT) + (isFemale(voice) ? "+f3" : "");
        ProcessBuilder pb = new ProcessBuilder(List.of(program.toString(), "-v", espeakVoice, "-s", "160", "--stdout", "--", text));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = pb.start();
            byte[] wav = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || !Wav.looksLikeWav(wav)) {
                process.destroyForcibly();
                throw new MediaException("espeak-ng failed for voice " + espeakVoice);
            }
            return Wav.decode(wav);
        } catch (IOException e) {
            throw new MediaException("cannot run espeak-ng", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException("interrupted while synthesizing speech", e);
        }
    }

    private static boolean isFemale(String voice) {
        String v = voice.toLowerCase(Locale.ROOT);
        return v.equals("woman") || v.equals("alice") || v.startsWith("polly.joanna") || v.startsWith("polly.amy")
                || v.startsWith("polly.salli") || v.startsWith("polly.kendra") || v.startsWith("polly.kimberly");
    }
}
