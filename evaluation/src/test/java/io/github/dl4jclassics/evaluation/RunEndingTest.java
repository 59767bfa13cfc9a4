package io.github.dl4jclassics.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.common.RunLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunEndingTest {

    @Test
    void aStoppedRunWritesItsFailureAndFailsItsDocumentedValue(@TempDir Path dir) throws Exception {
        RunLayout run = new RunLayout(dir);
        DocumentedResult documented = new DocumentedResult("top1", "test", 0.9, 0.01, "note");
        RunEnding.Subject subject = new RunEnding.Subject("exp", "lenet5", "fashion-mnist", 2, documented, List.of(), null);

        RunResult written = RunEnding.writeStopped(subject, RunStatus.DIVERGED, "loss is NaN at epoch 3 batch 7",
                new RunEnding.Started(System.nanoTime(), "2026-12-02T00:00:00Z"), run);

        RunResult read = Json.readHistory(run.result(), RunResult.class);
        assertThat(read).isEqualTo(written);
        assertThat(read.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(read.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(read.failure()).isEqualTo("loss is NaN at epoch 3 batch 7");
        assertThat(read.epochs()).isEqualTo(2);
        assertThat(read.runDirectory()).isEqualTo(dir.toString());
        assertThat(read.checks()).singleElement().satisfies(check -> assertThat(check.verdict()).isEqualTo(Verdict.FAIL));
        assertThat(run.file("report.md")).isRegularFile();
    }

    @Test
    void aStatusThisVersionDoesNotKnowReadsAsNullFromHistory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("result.json");
        java.nio.file.Files.writeString(file, "{\"experiment\": \"x\", \"epochs\": 1, \"status\": \"PAUSED\", \"future\": 1}");
        RunResult read = Json.readHistory(file, RunResult.class);
        assertThat(read.experiment()).isEqualTo("x");
        assertThat(read.status()).isNull();
    }
}
