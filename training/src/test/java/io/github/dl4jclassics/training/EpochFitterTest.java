package io.github.dl4jclassics.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.training.schedules.MultiStepSchedule;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** {@link Trainer#withEpochFitter}: the epoch is fitted elsewhere, everything around it stays the Trainer's. */
class EpochFitterTest {

    private static final ImageSet TRAIN = Synthetic.images(128, 4, 1);

    @Test
    void theFitterGetsEachEpochAtItsScheduledRateAndItsLossIsLogged(@TempDir Path dir) throws Exception {
        TrainingConfig config = new TrainingConfig(OptimizerConfig.adam(0.01), 32, 3, 42,
                new MultiStepSchedule(List.of(2), 0.1), null, null, 1);
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 5);
        ClassifierNetwork network = Synthetic.network(4, 42, config.optimizer());
        List<Double> rates = new ArrayList<>();
        List<Double> ratesOnTheNetwork = new ArrayList<>();
        // A stand-in for a cluster: fits the epoch's batches here and reports a loss of its own.
        EpochFitter fitter = (net, data, epoch, rate) -> {
            rates.add(rate);
            ratesOnTheNetwork.add(LearningRates.current(net));
            data.startEpoch(epoch);
            while (data.hasNext()) {
                DataSet batch = data.next();
                net.fit(batch);
            }
            return new EpochFitter.EpochResult(10.0 + epoch, Double.NaN);
        };
        TrainingOutcome outcome = new Trainer(config, store, new EpochLog(dir.resolve("epochs.csv")), false, List.of())
                .withEpochFitter(fitter)
                .train(network, Synthetic.iterator(TRAIN, 32, 42), Synthetic.validator(TRAIN), null);

        assertThat(rates).containsExactly(0.01, 0.01, 0.01 * 0.1);
        assertThat(ratesOnTheNetwork).containsExactlyElementsOf(rates);
        List<EpochRecord> rows = EpochRecord.readCsv(dir.resolve("epochs.csv"));
        assertThat(rows).extracting(EpochRecord::trainLoss).containsExactly(10.0, 11.0, 12.0);
        assertThat(rows).extracting(EpochRecord::trainAccuracy).allMatch(a -> Double.isNaN(a));
        // Validation and checkpoints are still the Trainer's, on what the fitter left in the network.
        assertThat(rows.get(2).validationTop1()).isGreaterThan(0.5);
        assertThat(epochFolders(dir.resolve("checkpoints"))).hasSize(3);
        assertThat(CheckpointStore.readModel(store.last().orElseThrow(), false).params()).isEqualTo(network.params());
        assertThat(outcome.epochsRun()).isEqualTo(3);
    }

    @Test
    void aDivergenceInTheFitterEndsTheRunAfterTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        TrainingConfig config = new TrainingConfig(OptimizerConfig.adam(0.01), 32, 3, 42, null, null, null, 1);
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 5);
        EpochFitter fitter = (net, data, epoch, rate) -> {
            if (epoch == 1) {
                throw new DivergenceException(epoch + 1, 4, rate, "the workers' mean score is NaN");
            }
            return new EpochFitter.EpochResult(1.0, Double.NaN);
        };
        assertThatThrownBy(() -> new Trainer(config, store, new EpochLog(dir.resolve("epochs.csv")), false, List.of())
                .withEpochFitter(fitter)
                .train(Synthetic.network(4, 42, config.optimizer()), Synthetic.iterator(TRAIN, 32, 42), null, null))
                .isInstanceOf(DivergenceException.class).hasMessageContaining("workers' mean score is NaN");
        assertThat(epochFolders(dir.resolve("checkpoints"))).hasSize(1);
    }

    private static List<Path> epochFolders(Path checkpoints) throws java.io.IOException {
        try (java.util.stream.Stream<Path> children = java.nio.file.Files.list(checkpoints)) {
            return children.filter(p -> p.getFileName().toString().startsWith("epoch-")).toList();
        }
    }
}
