package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.LoadOptions;
import io.github.dl4jclassics.data.readers.ImageFolderReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** {@code cache} finds ~/.dl4j-classics/cache of the user's home (here a temporary one), lists it and cleans it. */
    @Test
    void jarListsAndCleansTheCacheOfTheUsersHome(@TempDir Path home) throws Exception {
        Path jar = Paths.projectRoot().resolve("experiments/target/dl4j-classics.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "jar not built (run `mvn verify`, not `mvn test`)");
        Path images = home.resolve("data/flowers/train");
        for (String cls : new String[]{"rose", "tulip"}) {
            for (int i = 0; i < 3; i++) {
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(10, 10,
                        java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
                image.setRGB(i, i, 0x00FF00);
                Files.createDirectories(images.resolve(cls));
                javax.imageio.ImageIO.write(image, "png", images.resolve(cls).resolve(i + ".png").toFile());
            }
        }
        Path cache = home.resolve(".dl4j-classics/cache");
        ImageFolderReader.read(ImageFolderReader.list(images, null), null,
                new LoadOptions(new InputShape(3, 8, 8), cache, 1L << 30), "flowers train", "flowers");

        JsonNode listing = Json.mapper().readTree(runJar(jar, home, "cache", "--json"));
        assertThat(listing.get("directory").asText()).isEqualTo(cache.toString());
        assertThat(listing.get("entries")).hasSize(1);
        JsonNode entry = listing.get("entries").get(0);
        assertThat(entry.get("dataset").asText()).isEqualTo("flowers");
        assertThat(entry.get("images").asInt()).isEqualTo(6);
        assertThat(entry.get("source").asText()).isEqualTo("UNCHANGED");
        assertThat(listing.get("totalBytes").asLong()).isEqualTo(entry.get("bytes").asLong()).isGreaterThan(6 * 192);

        assertThat(runJar(jar, home, "cache", "clean", "--all")).contains("Deleted 1 entry", entry.get("id").asText());
        try (var left = Files.list(cache.resolve("images"))) {
            assertThat(left).isEmpty();
        }
    }

    private static String runJar(Path jar, Path home, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Duser.home=" + home, "-jar",
                jar.toString()));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).directory(home.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
