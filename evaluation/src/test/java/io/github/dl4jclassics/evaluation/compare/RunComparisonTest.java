package io.github.dl4jclassics.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.evaluation.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {

    @TempDir
    Path tmp;

    @Test
    void tableAndChartsOfTwoRuns() throws Exception {
        Path a = TestFiles.sampleRun(tmp.resolve("lenet5-fashion-mnist-sample"), "20261123-181849");
        Path b = TestFiles.sampleRun(tmp.resolve("lenet5-fashion-mnist-sample"), "20261124-090000");
        Files.writeString(b.resolve("result.json"), Files.readString(b.resolve("result.json"))
                .replace("\"top1\" : 0.736", "\"top1\" : 0.801").replace("\"seconds\" : 57.34", "\"seconds\" : 3725.0"));

        RunComparison comparison = RunComparison.of(List.of(a, b));
        assertThat(comparison.labels()).containsExactly("lenet5-fashion-mnist-sample 20261123-181849",
                "lenet5-fashion-mnist-sample 20261124-090000");
        String md = comparison.markdown();
        assertThat(md).contains("| lenet5-fashion-mnist-sample 20261123-181849 | lenet5 | fashion-mnist | 3 | 57.3 s | COMPLETED | 73.60% | 99.40% | 0.6928 | 72.31% | 74.20% | – | – | NO_REFERENCE |",
                "| lenet5-fashion-mnist-sample 20261124-090000 | lenet5 | fashion-mnist | 3 | 1 h 02 min | COMPLETED | 80.10% |",
                "| Shirt | 9.28% | 9.28% |");

        List<Path> written = comparison.write(tmp);
        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("comparison.md", "comparison.png", "comparison-per-class.png");
        for (Path png : written.subList(1, 3)) {
            assertThat(ImageIO.read(png.toFile())).isNotNull();
            assertThat(Files.size(png)).isGreaterThan(10_000);
        }
    }

    @Test
    void runsWithDifferentClassesGetNoPerClassTable() throws Exception {
        Path a = TestFiles.sampleRun(tmp, "a");
        Path b = TestFiles.sampleRun(tmp, "b");
        Files.writeString(b.resolve("result.json"), Files.readString(b.resolve("result.json")).replace("\"Ankle boot\"", "\"Boot\""));
        RunComparison comparison = RunComparison.of(List.of(a, b));
        assertThat(comparison.sharedClasses()).isNull();
        assertThat(comparison.markdown()).contains("do not share the same test classes").doesNotContain("| Shirt |");
        assertThat(comparison.write(tmp)).extracting(p -> p.getFileName().toString())
                .containsExactly("comparison.md", "comparison.png");
    }

    @Test
    void errorsNameTheMissingFile() {
        assertThatThrownBy(() -> RunComparison.of(List.of())).hasMessageContaining("at least one run folder");
        assertThatThrownBy(() -> RunComparison.of(List.of(tmp))).hasMessageContaining(tmp.resolve("result.json").toString());
    }
}
