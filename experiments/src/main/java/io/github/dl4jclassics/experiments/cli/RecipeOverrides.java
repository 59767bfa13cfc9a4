package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.experiments.run.RunOptions;
import io.github.dl4jclassics.training.EpochTarget;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that change a manifest's recipe for one run, shared by {@code run} and {@code regress} (a picocli
 * mixin), each checked here once. A run changed by any of them is shortened: not judged against the documented value
 * (except by {@code regress}).
 */
public final class RecipeOverrides {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the data set is (overrides the manifest's location).")
    Path dataDir;

    @Option(names = "--epochs", paramLabel = "N|+N",
            description = "Number of epochs (overrides the manifest); with run --from, +N adds N epochs to the finished run.")
    String epochs;

    @Option(names = "--seed", description = "Seed for initialisation, data order and augmentation (overrides the manifest).")
    Long seed;

    @Option(names = "--batch-size", description = "Batch size (overrides the manifest).")
    Integer batchSize;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N examples of the training files.")
    Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", description = "Use only the first N test examples.")
    Integer limitTest;

    /** {@code --epochs} parsed (null when not given). */
    EpochTarget epochTarget() {
        return epochs == null ? null : EpochTarget.parse(epochs);
    }

    /** Whether any option but {@code --data-dir} was given. */
    boolean changesTheRecipe() {
        return epochs != null || seed != null || batchSize != null || limitTrain != null || limitTest != null;
    }

    /** These options on {@code options}, each checked (a positive count; +N only where a run is continued). */
    RunOptions.Builder applyTo(RunOptions.Builder options, boolean continuing) {
        EpochTarget target = epochTarget();
        if (target != null && target.more() && !continuing) {
            throw new IllegalArgumentException("--epochs " + target + " (more epochs) needs --from RUN_DIR");
        }
        return options.dataDir(dataDir).epochs(target).seed(seed).batchSize(positive("--batch-size", batchSize))
                .limitTrain(positive("--limit-train", limitTrain)).limitTest(positive("--limit-test", limitTest));
    }

    private static Integer positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        }
        return value;
    }
}
