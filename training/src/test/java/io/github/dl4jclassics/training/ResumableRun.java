package io.github.dl4jclassics.training;

import java.util.List;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.training.schedules.ReduceOnPlateauSchedule;
import io.github.dl4jclassics.training.schedules.WarmupSchedule;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * A small run that resumes from its run folder when it has checkpoints, as {@code run --resume} does. Its main is
 * the child JVM the kill test starts: {@code ResumableRun RUN_DIR EPOCHS SLEEP_MS}. It writes {@code position}
 * (0-based epoch and batch) after every batch, and sleeps SLEEP_MS there so the test can kill it mid-epoch.
 */
public final class ResumableRun {

    static final ImageSet TRAIN = Synthetic.images(320, 4, 11);
    static final ImageSet VALIDATION = Synthetic.images(96, 4, 12);

    /** Momentum SGD with weight decay, dropout, and warm-up then ReduceLROnPlateau: every kind of state a checkpoint holds. */
    static TrainingConfig config(int epochs) {
        return new TrainingConfig(new OptimizerConfig("sgd", 0.05, 0.9, false, 1e-4, null, null, null, null, null), 32, epochs,
                5, new WarmupSchedule(1, 0.5, new ReduceOnPlateauSchedule("validation.top1", null, 0.5, 0, 0.5, "abs", 0, null)),
                null, null, 1);
    }

    public static TrainingOutcome run(Path runDir, int epochs, long sleepMillis) throws Exception {
        TrainingConfig config = config(epochs);
        Path checkpoints = runDir.resolve("checkpoints");
        Optional<Resume.Point> point = Resume.fromRunCheckpoints(checkpoints);
        ClassifierNetwork network = point.map(Resume.Point::network).orElseGet(() ->
                ClassifierNetwork.fromConfiguration(Synthetic.configuration(4, 5, config.optimizer(), true)));
        Files.createDirectories(runDir);
        Path position = runDir.resolve("position");
        network.model().addListeners(new BaseTrainingListener() {
            private int batch;
            private int lastEpoch = -1;

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                batch = epoch == lastEpoch ? batch + 1 : 1;
                lastEpoch = epoch;
                try {
                    Files.writeString(position, epoch + " " + batch, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    Thread.sleep(sleepMillis);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return new Trainer(config, new CheckpointStore(checkpoints, 1), new EpochLog(runDir.resolve("epochs.csv")), false, List.of())
                .train(network, Synthetic.iterator(TRAIN, 32, config.seed()), Synthetic.validator(VALIDATION),
                        point.map(Resume.Point::state).orElse(null));
    }

    public static void main(String[] args) throws Exception {
        run(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
    }
}
