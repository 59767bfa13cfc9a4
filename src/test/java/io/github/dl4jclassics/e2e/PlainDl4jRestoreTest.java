package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.experiments.cli.Main;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run's model.zip (and checkpoints/best/) opens in an application that has DL4J 1.0.0-M2.1 and its ND4J backend on
 * the class path but nothing of this project: lenet5 (a MultiLayerNetwork trained with the native convolution),
 * alexnet-scene (native LRN, SGD with momentum) and resnet18-scene (a ComputationGraph with batch norm).
 */
class PlainDl4jRestoreTest {

    @ParameterizedTest
    @CsvSource({"lenet5-fashion-mnist-sample, 1200, 1, 32, 32, 10", "alexnet-scene, 60, 3, 64, 64, 6",
            "resnet18-scene, 60, 3, 64, 64, 6"})
    void savedModelsOpenWithoutTheProjectOnTheClassPath(String experiment, int limitTrain, int channels, int height,
            int width, int classes, @TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", experiment, "--epochs", "1", "--limit-train", String.valueOf(limitTrain),
                "--limit-test", "12", "--out", dir.resolve("runs").toString(), "--manifests", Paths.manifests().toString()));
        if (experiment.contains("scene")) {
            args.addAll(List.of("--data-dir", SmokeData.scene(dir.resolve("scene"), 10, 2, 64).toString()));
        }
        assertThat(Main.execute(args.toArray(String[]::new))).isIn(0, 1); // 1: a one-epoch run fails its verdict
        Path run = RunOutputs.onlyRun(dir.resolve("runs"), experiment);

        List<Path> models = new ArrayList<>(List.of(run.resolve("model.zip")));
        Path best = run.resolve("checkpoints/best/model.zip");
        if (Files.isRegularFile(best)) {
            models.add(best);
        }
        for (Path model : models) {
            assertThat(configuration(model)).as(model + " names no class of this project")
                    .doesNotContain("io.github.dl4jclassics");
            String output = restoreInPlainDl4j(model, dir, channels, height, width, classes);
            assertThat(output).as(model.toString()).contains("output shape [2, " + classes + "], finite true");
        }
    }

    /** Runs PlainDl4jRestore in a new JVM whose class path is this one's minus everything of the project. */
    private static String restoreInPlainDl4j(Path model, Path dir, int channels, int height, int width, int classes)
            throws IOException, InterruptedException {
        Path source = dir.resolve("PlainDl4jRestore.java");
        try (InputStream in = PlainDl4jRestoreTest.class.getResourceAsStream("/plain-dl4j/PlainDl4jRestore.java")) {
            Files.write(source, in.readAllBytes());
        }
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar") && !entry.contains("dl4jclassics") && !entry.contains("dl4j-classics")
                        && !entry.startsWith(Paths.projectRoot().toAbsolutePath().toString()))
                .collect(Collectors.joining(File.pathSeparator));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classPath, source.toString(), model.toString(), String.valueOf(channels),
                String.valueOf(height), String.valueOf(width), String.valueOf(classes))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    private static String configuration(Path model) throws IOException {
        try (ZipFile zip = new ZipFile(model.toFile())) {
            return new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
