package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.experiments.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluation.perEpoch: ["test"]} from the command line, as a user of the scene recipes meets it: the run's
 * epochs.csv gains the test columns after the usual ones (which stay what they are without the option), the report
 * tables and draws them, and {@code compare} of two such runs draws their test curves in validation-curves.png.
 */
class PerEpochTestRunTest {

    private static final String NAME = "sample-test-per-epoch";

    private static String[] run(String manifest, String seed, Path out) {
        return new String[]{"run", manifest, "--epochs", "2", "--seed", seed, "--limit-train", "1200", "--limit-test",
                "300", "--out", out.toString(), "--manifests", Paths.manifests().toString()};
    }

    @Test
    void theTestColumnsAreAddedTheRestStaysAndCompareDrawsTheTestCurves(@TempDir Path dir) throws Exception {
        // A manifest kept anywhere, on the shipped sample recipe, asking for the per-epoch test evaluation.
        Path manifest = dir.resolve(NAME + ".json");
        Files.writeString(manifest, """
                {"base": ["lenet5-fashion-mnist-sample.json"], "name": "%s",
                 "evaluation": {"perEpoch": ["test"]}}
                """.formatted(NAME));
        assertThat(Main.execute(run(Main.DEFAULT_EXPERIMENT, "3", dir.resolve("plain")))).isZero();
        assertThat(Main.execute(run(manifest.toString(), "3", dir.resolve("a")))).isZero();
        assertThat(Main.execute(run(manifest.toString(), "4", dir.resolve("b")))).isZero();
        Path plain = RunOutputs.onlyRun(dir.resolve("plain"), Main.DEFAULT_EXPERIMENT);
        Path a = RunOutputs.onlyRun(dir.resolve("a"), NAME);
        Path b = RunOutputs.onlyRun(dir.resolve("b"), NAME);

        List<String> plainCsv = Files.readAllLines(plain.resolve("epochs.csv"));
        List<String> testCsv = Files.readAllLines(a.resolve("epochs.csv"));
        assertThat(plainCsv.get(0)).isEqualTo(EpochRecord.CSV_HEADER);
        assertThat(testCsv.get(0)).isEqualTo(EpochRecord.CSV_HEADER + ",test_loss,test_top1,test_top5");
        assertThat(testCsv).hasSize(3);
        // The columns the file always had are the same numbers (seconds aside) with and without the option.
        assertThat(firstColumnsButSeconds(testCsv)).containsExactlyElementsOf(firstColumnsButSeconds(plainCsv));
        // The last epoch's test values are the final test evaluation's: the same model, the same test split.
        List<EpochRecord> rows = EpochRecord.readCsv(a.resolve("epochs.csv"));
        var result = io.github.dl4jclassics.common.Json.mapper().readTree(a.resolve("result.json").toFile());
        assertThat(rows.get(1).testTop1()).isEqualTo(result.get("test").get("top1").asDouble());
        assertThat(rows.get(1).testTop5()).isEqualTo(result.get("test").get("top5").asDouble());
        assertThat(rows.get(0).testTop1()).isBetween(0.3, 1.0);
        assertThat(Files.readString(a.resolve("report.md"))).contains("test top-1 (per epoch)");

        Path out = dir.resolve("compared");
        assertThat(Main.execute("compare", a.toString(), b.toString(), "--out", out.toString())).isZero();
        assertThat(ImageIO.read(out.resolve("validation-curves.png").toFile()).getWidth()).isGreaterThan(500);
        // The sample recipe has a validation split too: both curves per run, the test ones named as such.
        assertThat(Files.readString(out.resolve("comparison.md")))
                .contains("the validation split of " + NAME + " " + a.getFileName() + ", " + NAME + " " + b.getFileName())
                .contains("the **test split** of " + NAME + " " + a.getFileName())
                .contains("no epoch or rate was chosen with it");
    }

    /** The first eight columns of each line without the seconds (column 8). */
    private static List<String> firstColumnsButSeconds(List<String> lines) {
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            kept.add(String.join(",", List.of(cells).subList(0, 7)));
        }
        return kept;
    }
}
