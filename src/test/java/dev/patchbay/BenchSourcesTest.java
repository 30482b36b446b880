package dev.patchbay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark programs in {@code bench/} run as single-file sources against the built jar, so
 * nothing else compiles them: this does, against the current code, so a change that breaks one
 * is seen here rather than on the day a benchmark is run. (The JMH benchmark is built by
 * {@code bench/billing.sh} with JMH's own plugin and is left out.)
 */
class BenchSourcesTest {

    @Test
    void every_bench_program_compiles_against_the_current_code(@TempDir Path out) throws IOException {
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("bench"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (!Files.readString(p).contains("org.openjdk.jmh")) {
                    sources.add(p.toString());
                }
            }
        }
        assertThat(sources).contains(Path.of("bench", "HandoffBench.java").toString());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        for (String source : sources) {   // each is its own program (several declare classes of the same name)
            StringWriter errors = new StringWriter();
            boolean compiled = javac.getTask(errors, null, null, List.of("-proc:none", "-d", out.resolve(Path.of(source).getFileName().toString())
                    .toString(), "-cp", System.getProperty("java.class.path")), null,
                    javac.getStandardFileManager(null, null, null).getJavaFileObjects(source)).call();
            assertThat(compiled).as(source + " compiles:\n" + errors).isTrue();
        }
    }
}
