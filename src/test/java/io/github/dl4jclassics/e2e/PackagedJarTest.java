package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The executable jar runs without Maven and finds its manifests inside itself. */
class PackagedJarTest {

    @Test
    void jarListsExperimentsAndModelsFromAnyDirectory() throws Exception {
        Path jar = Paths.projectRoot().resolve("experiments/target/dl4j-classics.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "jar not built (run `mvn verify`, not `mvn test`)");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "list")
                .directory(Files.createTempDirectory("jar-test").toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("lenet5-fashion-mnist-sample").contains("lenet5-fashion-mnist")
                .contains("lenet5").contains("Models:");
    }
}
