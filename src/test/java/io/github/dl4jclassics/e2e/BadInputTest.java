package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.experiments.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad manifests and missing data fail at once, with the problem and the choices named, and leave no run folder. */
class BadInputTest {

    @Test
    void misspelledModelIdFailsBeforeAnyWork(@TempDir Path dir) throws Exception {
        String manifest = """
                {
                  "name": "typo",
                  "description": "LeNet-5 with its id misspelled",
                  "model": { "id": "lenet-5", "classes": 10, "input": "1x32x32" },
                  "data": { "dataset": "fashion-mnist", "location": "classpath:datasets/fashion-mnist-sample",
                            "transforms": [ { "type": "resize" }, { "type": "normalize" } ] },
                  "training": { "optimizer": { "type": "adam", "learningRate": 0.001 },
                                "batchSize": 64, "epochs": 1, "seed": 1 }
                }
                """;
        Path file = dir.resolve("typo.json");
        Files.writeString(file, manifest);
        Path out = dir.resolve("runs");
        String err = runCapturingErr(1, "run", file.toString(), "--out", out.toString());
        assertThat(err).contains("typo.json").contains("model.id").contains("'lenet-5'").contains("lenet5");
        assertThat(out).doesNotExist();
    }

    @Test
    void missingDataDirectoryListsWhereItLooked(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nowhere");
        Path out = dir.resolve("runs");
        String err = runCapturingErr(1, "run", "lenet5-fashion-mnist", "--data-dir", missing.toString(),
                "--out", out.toString(), "--manifests", Paths.manifests().toString());
        assertThat(err).contains("data set 'fashion-mnist' not found").contains(missing.toString())
                .contains("train-images-idx3-ubyte.gz").contains("--data-dir " + missing + " does not exist");
        assertThat(out).doesNotExist();
    }

    @Test
    void manifestOfRandomBytesIsNamedWithWhatWasExpected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("noise.json");
        byte[] noise = new byte[256];
        new java.util.Random(1).nextBytes(noise);
        Files.write(file, noise);
        String err = runCapturingErr(1, "run", file.toString(), "--out", dir.resolve("runs").toString());
        assertThat(err).contains(file.toString()).contains("not UTF-8 text").contains("expected a JSON object")
                .doesNotContain("Input length");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void unknownTransformAndScheduleIdsLeakNoJacksonText(@TempDir Path dir) throws Exception {
        String manifest = """
                {
                  "name": "typo",
                  "description": "a transform id misspelled",
                  "model": { "id": "lenet5", "classes": 10, "input": "1x32x32" },
                  "data": { "dataset": "fashion-mnist", "location": "classpath:datasets/fashion-mnist-sample",
                            "transforms": [ { "type": "resise" }, { "type": "normalize" } ] },
                  "training": { "optimizer": { "type": "adam", "learningRate": 0.001 },
                                "batchSize": 64, "epochs": 1, "seed": 1 }
                }
                """;
        Path file = dir.resolve("typo.json");
        Files.writeString(file, manifest);
        String err = runCapturingErr(1, "run", file.toString(), "--out", dir.resolve("runs").toString());
        assertThat(err).contains("field 'data.transforms[0]': unknown type 'resise'").contains("resize")
                .doesNotContain("POJO").doesNotContain("(for");
        Files.writeString(file, manifest.replace("\"resise\"", "\"resize\"")
                .replace("\"seed\": 1 }", "\"seed\": 1, \"schedule\": { \"type\": \"cosin\" } }"));
        err = runCapturingErr(1, "run", file.toString(), "--out", dir.resolve("runs").toString());
        assertThat(err).contains("field 'training.schedule': unknown type 'cosin'").contains("cosine")
                .doesNotContain("POJO");
    }

    private static String runCapturingErr(int expectedCode, String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(args)).isEqualTo(expectedCode);
        } finally {
            System.setErr(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
