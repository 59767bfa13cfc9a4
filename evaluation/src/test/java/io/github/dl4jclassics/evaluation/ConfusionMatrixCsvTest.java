package io.github.dl4jclassics.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixCsvTest {

    @TempDir
    Path tmp;

    private static SplitMetrics metrics() {
        return new SplitMetrics(6, .5, 1, 5, 1.0, 1.0, List.of("T-shirt/top", "a, b", "say \"hi\""),
                new double[]{.5, .5, Double.NaN}, new double[3], new double[3], null, null,
                new long[][]{{3, 1, 2}, {0, 0, 0}, {1, 0, 0}});
    }

    @Test
    void countsWithQuotedClassNames() throws Exception {
        Path file = tmp.resolve("confusion-test.csv");
        ConfusionMatrixCsv.write(file, metrics());
        assertThat(Files.readAllLines(file)).containsExactly(
                "true\\predicted,T-shirt/top,\"a, b\",\"say \"\"hi\"\"\"",
                "T-shirt/top,3,1,2",
                "\"a, b\",0,0,0",
                "\"say \"\"hi\"\"\",1,0,0");
    }

    @Test
    void rowNormalisedFractions() throws Exception {
        Path file = tmp.resolve("n.csv");
        ConfusionMatrixCsv.writeNormalized(file, metrics());
        assertThat(Files.readAllLines(file)).containsExactly(
                "true\\predicted,T-shirt/top,\"a, b\",\"say \"\"hi\"\"\"",
                "T-shirt/top,0.500000,0.166667,0.333333",
                "\"a, b\",0.000000,0.000000,0.000000",
                "\"say \"\"hi\"\"\",1.000000,0.000000,0.000000");
    }

    @Test
    void writeAllWritesBothFilesOfEachEvaluatedSplit() throws Exception {
        RunResult result = new RunResult("x", "m", "d", 1, metrics(), null, null, null, Verdict.NO_REFERENCE,
                RunStatus.COMPLETED, null, 1.0, null, null, null, null);
        List<Path> written = ConfusionMatrixCsv.writeAll(tmp, result);
        assertThat(written).containsExactly(tmp.resolve("confusion-test.csv"), tmp.resolve("confusion-test-normalized.csv"));
        assertThat(tmp.resolve("confusion-validation.csv")).doesNotExist();
    }

    @Test
    void aMatrixThatDoesNotFitTheClassesIsRejected() {
        SplitMetrics bad = new SplitMetrics(1, 1, 1, 5, 1.0, 0, List.of("a", "b"), new double[2], new double[2],
                new double[2], null, null, new long[][]{{1, 0, 0}, {0, 0, 0}});
        assertThatThrownBy(() -> ConfusionMatrixCsv.counts(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 columns, expected 2");
    }
}
