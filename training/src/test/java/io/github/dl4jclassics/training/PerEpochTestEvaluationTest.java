package io.github.dl4jclassics.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Trainer#withPerEpochTest}: the test split measured after every epoch goes into epochs.csv's appended
 * columns, changes nothing else (same rows, same best epoch), and is carried over by a resume.
 */
class PerEpochTestEvaluationTest {

    private static final ImageSet TRAIN = Synthetic.images(256, 4, 1);
    /** Shifted labels: the better the network learns, the worse this validation loss, so epoch 1 is its best. */
    private static final ImageSet VALIDATION = Synthetic.withShiftedLabels(Synthetic.images(96, 4, 2));
    /** True labels: the test values improve with training, so choosing on them would pick a later epoch. */
    private static final ImageSet TEST = Synthetic.images(96, 4, 3);
    private static final int EPOCHS = 4;

    private static TrainingConfig config() {
        return new TrainingConfig(OptimizerConfig.adam(0.01), 32, EPOCHS, 42, null, null, null, 1)
                .withEarlyStopping(new EarlyStoppingConfig("validation.loss", 10, 0.0, true));
    }

    private static TrainingOutcome train(Path dir, Validator test) throws Exception {
        Trainer trainer = new Trainer(config(), new CheckpointStore(dir.resolve("checkpoints"), 1),
                new EpochLog(dir.resolve("epochs.csv")), false, List.of());
        if (test != null) {
            trainer.withPerEpochTest(test);
        }
        return trainer.train(Synthetic.network(4, 42, config().optimizer()), Synthetic.iterator(TRAIN, 32, 42),
                Synthetic.validator(VALIDATION), null);
    }

    /** The csv lines without the seconds column (index 7), which is the only timing in the file. */
    private static List<String> withoutSeconds(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(line -> {
            List<String> cells = new java.util.ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(7);
            return String.join(",", cells);
        }).toList();
    }

    @Test
    void theTestColumnsAreAddedAndTheRestOfTheRunIsUnchanged(@TempDir Path dir) throws Exception {
        TrainingOutcome plain = train(dir.resolve("plain"), null);
        TrainingOutcome withTest = train(dir.resolve("test"), Synthetic.validator(TEST));

        List<String> plainLines = Files.readAllLines(dir.resolve("plain/epochs.csv"));
        List<String> testLines = Files.readAllLines(dir.resolve("test/epochs.csv"));
        assertThat(plainLines.get(0)).isEqualTo(EpochRecord.CSV_HEADER);
        assertThat(testLines.get(0)).isEqualTo(EpochRecord.CSV_HEADER + ",test_loss,test_top1,test_top5");
        assertThat(plainLines).hasSize(EPOCHS + 1).allMatch(l -> l.split(",", -1).length == 8);
        assertThat(testLines).hasSize(EPOCHS + 1).allMatch(l -> l.split(",", -1).length == 11);
        // Every column the file had before (but the timing) is the same with and without the test evaluation.
        List<String> prefix = withoutSeconds(dir.resolve("test/epochs.csv")).stream()
                .map(l -> l.substring(0, nthComma(l, 7))).toList();
        assertThat(prefix).containsExactlyElementsOf(withoutSeconds(dir.resolve("plain/epochs.csv")));

        List<EpochRecord> rows = EpochRecord.readCsv(dir.resolve("test/epochs.csv"));
        assertThat(rows).allMatch(r -> r.test() != null && r.testLoss() > 0 && r.testTop1() >= 0 && r.testTop1() <= 1);
        // The test split improves after epoch 1 while validation is best at epoch 1: the kept epoch is validation's.
        double bestTest = rows.stream().mapToDouble(EpochRecord::testLoss).min().orElseThrow();
        assertThat(rows.get(0).testLoss()).isGreaterThan(bestTest);
        assertThat(withTest.bestEpoch()).isEqualTo(1).isEqualTo(plain.bestEpoch());
        assertThat(withTest.network().params()).isEqualTo(plain.network().params());
    }

    @Test
    void aRunStoppedInEpochThreeResumesWithItsTestColumns(@TempDir Path dir) throws Exception {
        train(dir.resolve("straight"), Synthetic.validator(TEST));

        // The test evaluator fails in epoch 3 (after its training, before its row and checkpoint), like a kill there.
        Path crashed = dir.resolve("crashed");
        AtomicInteger calls = new AtomicInteger();
        Validator test = Synthetic.validator(TEST);
        assertThatThrownBy(() -> train(crashed, network -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("killed in epoch 3");
            }
            return test.validate(network);
        })).hasMessageContaining("killed in epoch 3");
        assertThat(EpochRecord.readCsv(crashed.resolve("epochs.csv"))).hasSize(2);

        Resume.Point point = Resume.fromRunCheckpoints(crashed.resolve("checkpoints")).orElseThrow();
        assertThat(point.state().epochsCompleted()).isEqualTo(2);
        assertThat(point.state().history()).allMatch(r -> r.test() != null);
        new Trainer(config(), new CheckpointStore(crashed.resolve("checkpoints"), 1),
                new EpochLog(crashed.resolve("epochs.csv")), false, List.of())
                .withPerEpochTest(Synthetic.validator(TEST))
                .train(point.network(), Synthetic.iterator(TRAIN, 32, 42), Synthetic.validator(VALIDATION), point.state());

        // Epochs 1-2 come back from the checkpoint's history exactly; 3-4 are retrained. In one JVM with DL4J's own
        // layers a resumed epoch matches to about 1e-7 (as ResumeAfterKillTest); the command line's bit-for-bit
        // resume with the test columns is ReproducibleRunTest's.
        List<String> resumedLines = withoutSeconds(crashed.resolve("epochs.csv"));
        List<String> straightLines = withoutSeconds(dir.resolve("straight/epochs.csv"));
        assertThat(resumedLines.subList(0, 3)).containsExactlyElementsOf(straightLines.subList(0, 3));
        List<EpochRecord> resumed = EpochRecord.readCsv(crashed.resolve("epochs.csv"));
        List<EpochRecord> straight = EpochRecord.readCsv(dir.resolve("straight/epochs.csv"));
        assertThat(resumed).hasSize(EPOCHS);
        for (int i = 2; i < EPOCHS; i++) {
            assertThat(resumed.get(i).test()).isNotNull();
            assertThat(resumed.get(i).testLoss()).isCloseTo(straight.get(i).testLoss(), within(1e-4));
            assertThat(resumed.get(i).testTop1()).isEqualTo(straight.get(i).testTop1());
            assertThat(resumed.get(i).trainLoss()).isCloseTo(straight.get(i).trainLoss(), within(1e-4));
        }
    }

    private static int nthComma(String line, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = line.indexOf(',', at + 1);
        }
        return at < 0 ? line.length() : at;
    }
}
