package io.github.dl4jclassics.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.training.checkpoints.TrainingState;
import io.github.dl4jclassics.training.schedules.MultiStepSchedule;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class TrainerTest {

    private static final ImageSet TRAIN = Synthetic.images(256, 4, 1);

    private static TrainingConfig config(OptimizerConfig optimizer, int epochs) {
        return new TrainingConfig(optimizer, 32, epochs, 42, null, null, null, 1);
    }

    @Test
    void earlyStoppingRestoresTheBestModelAndKeepsTheLast(@TempDir Path dir) throws Exception {
        // Validation labels are shifted by one class: the better the model learns the rule, the higher the
        // validation loss, so epoch 1 is the best and the run stops after 1 + patience epochs.
        ImageSet validation = Synthetic.withShiftedLabels(Synthetic.images(128, 4, 2));
        TrainingConfig config = config(OptimizerConfig.adam(0.01), 20)
                .withEarlyStopping(new EarlyStoppingConfig("validation.loss", 3, 0.0, true));
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 1);
        EpochLog log = new EpochLog(dir.resolve("epochs.csv"));
        ClassifierNetwork network = Synthetic.network(4, 42, config.optimizer());
        TrainingOutcome outcome = new Trainer(config, store, log, false, List.of())
                .train(network, Synthetic.iterator(TRAIN, 32, 42), Synthetic.validator(validation), null);

        List<EpochRecord> rows = EpochRecord.readCsv(dir.resolve("epochs.csv"));
        assertThat(rows).hasSize(4);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).validationLoss()).isGreaterThan(rows.get(0).validationLoss());
        }
        assertThat(outcome.stoppedEarly()).isTrue();
        assertThat(outcome.bestEpoch()).isEqualTo(1);
        // The returned model is epoch 1's: its validation loss is the one logged for epoch 1, not the last one.
        double restoredLoss = Synthetic.validator(validation).validate(outcome.network()).loss();
        assertThat(restoredLoss).isCloseTo(rows.get(0).validationLoss(), within(1e-5));
        assertThat(outcome.network().params()).isNotEqualTo(network.params());
        // Both kept: best/ holds epoch 1, the last checkpoint epoch 4 (the trained network as it ended).
        assertThat(CheckpointStore.readState(store.best().orElseThrow()).epochsCompleted()).isEqualTo(1);
        Path last = store.last().orElseThrow();
        assertThat(last.getFileName().toString()).isEqualTo("epoch-0004");
        assertThat(CheckpointStore.readModel(last, false).params()).isEqualTo(network.params());
        TrainingState state = CheckpointStore.readState(last);
        assertThat(state.stoppedEarly()).isTrue();
        assertThat(state.epochsWithoutImprovement()).isEqualTo(3);
        // epochs.csv rounds the seconds; everything else is the same.
        assertThat(state.history()).extracting(EpochRecord::validationLoss)
                .containsExactlyElementsOf(rows.stream().map(EpochRecord::validationLoss).toList());
    }

    @Test
    void aHugeLearningRateStopsWithTheDivergenceMessageAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        // Epoch 1 at lr 0.05 trains normally; epoch 2 at 0.05 * 1e12 blows up.
        TrainingConfig config = config(OptimizerConfig.sgd(0.05, 0.9), 3)
                .withSchedule(new MultiStepSchedule(List.of(1), 1e12));
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 1);
        ClassifierNetwork network = Synthetic.network(4, 42, config.optimizer());
        Trainer trainer = new Trainer(config, store, new EpochLog(dir.resolve("epochs.csv")), false, List.of());

        assertThatThrownBy(() -> trainer.train(network, Synthetic.iterator(TRAIN, 32, 42), null, null))
                .isInstanceOf(DivergenceException.class)
                .hasMessageContaining("epoch 2, batch")
                .hasMessageContaining("learning rate 5.00000e+10")
                .hasMessageContaining("Lower the learning rate")
                .satisfies(e -> assertThat(((DivergenceException) e).epoch()).isEqualTo(2));

        Path last = store.last().orElseThrow();
        assertThat(last.getFileName().toString()).isEqualTo("epoch-0001");
        ClassifierNetwork good = CheckpointStore.readModel(last, true);
        assertThat(Double.isFinite(good.params().sumNumber().doubleValue())).isTrue();
        DataSet batch = Synthetic.iterator(TRAIN, 32, 42).next();
        assertThat(Double.isFinite(good.loss(batch))).isTrue();
        assertThat(EpochRecord.readCsv(dir.resolve("epochs.csv"))).hasSize(1);
    }

    @Test
    void softLabelsGiveTheMixupCrossEntropyAndNoAccuracy() {
        ClassifierNetwork network = Synthetic.network(4, 42, OptimizerConfig.sgd(0.01, 0));
        DataSet hard = Synthetic.iterator(TRAIN, 16, 42).next();
        // Mix every example with the next one, lambda 0.7, as the Mixup transform does.
        INDArray features = hard.getFeatures().mul(0.7).addi(next(hard.getFeatures()).mul(0.3));
        INDArray labels = hard.getLabels().mul(0.7).addi(next(hard.getLabels()).mul(0.3));
        INDArray p = network.output(features, false);
        double expected = -Transforms.log(p, false).muli(labels).sumNumber().doubleValue() / 16;

        BatchStatistics statistics = new BatchStatistics();
        statistics.startEpoch(true);
        network.model().addListeners(statistics);
        network.fit(new DataSet(features, labels));
        assertThat(statistics.lastLoss()).isCloseTo(expected, within(1e-5));
        assertThat(network.score()).as("DL4J's own loss with soft labels").isCloseTo(expected, within(1e-5));
        assertThat(statistics.accuracy()).isNaN();
    }

    /** Row i of the result is row i + 1 of {@code a} (cyclically). */
    private static INDArray next(INDArray a) {
        long n = a.size(0);
        int[] order = new int[(int) n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) ((i + 1) % n);
        }
        return Nd4j.pullRows(a.reshape(n, a.length() / n), 1, order).reshape(a.shape());
    }

    @Test
    void resumingAfterEarlyStoppingTrainsNothingMore(@TempDir Path dir) throws Exception {
        ImageSet validation = Synthetic.withShiftedLabels(Synthetic.images(64, 4, 2));
        TrainingConfig config = config(OptimizerConfig.adam(0.01), 10)
                .withEarlyStopping(new EarlyStoppingConfig("validation.loss", 2, null, true));
        Path checkpoints = dir.resolve("checkpoints");
        new Trainer(config, new CheckpointStore(checkpoints, 1), new EpochLog(dir.resolve("epochs.csv")), false, List.of())
                .train(Synthetic.network(4, 42, config.optimizer()), Synthetic.iterator(TRAIN, 32, 42),
                        Synthetic.validator(validation), null);
        Resume.Point point = Resume.fromRunCheckpoints(checkpoints).orElseThrow();
        TrainingOutcome again = new Trainer(config, new CheckpointStore(checkpoints, 1),
                new EpochLog(dir.resolve("epochs.csv")), false, List.of())
                .train(point.network(), Synthetic.iterator(TRAIN, 32, 42), Synthetic.validator(validation), point.state());
        assertThat(again.epochsRun()).isEqualTo(3);
        assertThat(again.bestEpoch()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("epochs.csv"))).hasSize(4);
    }
}
