package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.training.EpochTarget;
import java.nio.file.Path;

/**
 * Command-line overrides of a manifest for one run; null fields keep the manifest's value. Made with
 * {@link #builder()}.
 *
 * @param outRoot    where run folders go ({@code runs/} by default)
 * @param epochs     total epochs, or with {@code from} possibly {@code +N}: epochs to add to the finished run's
 * @param limitTrain keep only the first N examples of the training files (before the validation split)
 * @param limitTest  keep only the first N test examples
 * @param from       a finished run folder to continue in a new run folder (its last checkpoint)
 * @param uiPort     null: no live UI; otherwise the port of DL4J's training UI on 127.0.0.1 (0: any free port)
 */
public record RunOptions(
        Path dataDir,
        Path outRoot,
        EpochTarget epochs,
        Long seed,
        Integer batchSize,
        Integer limitTrain,
        Integer limitTest,
        Path from,
        boolean interactive,
        Integer uiPort) {

    public RunOptions {
        if (epochs != null && epochs.more() && from == null) {
            throw new IllegalArgumentException("--epochs " + epochs + " (more epochs) needs --from RUN_DIR");
        }
    }

    public static RunOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path outRootOrDefault() {
        return outRoot != null ? outRoot : Path.of("runs");
    }

    /** Every field null (or false) unless set. */
    public static final class Builder {
        private Path dataDir;
        private Path outRoot;
        private EpochTarget epochs;
        private Long seed;
        private Integer batchSize;
        private Integer limitTrain;
        private Integer limitTest;
        private Path from;
        private boolean interactive;
        private Integer uiPort;

        private Builder() {
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder outRoot(Path value) {
            outRoot = value;
            return this;
        }

        public Builder epochs(EpochTarget value) {
            epochs = value;
            return this;
        }

        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        public Builder batchSize(Integer value) {
            batchSize = value;
            return this;
        }

        public Builder limitTrain(Integer value) {
            limitTrain = value;
            return this;
        }

        public Builder limitTest(Integer value) {
            limitTest = value;
            return this;
        }

        public Builder from(Path value) {
            from = value;
            return this;
        }

        public Builder interactive(boolean value) {
            interactive = value;
            return this;
        }

        public Builder uiPort(Integer value) {
            uiPort = value;
            return this;
        }

        public RunOptions build() {
            return new RunOptions(dataDir, outRoot, epochs, seed, batchSize, limitTrain, limitTest, from, interactive,
                    uiPort);
        }
    }
}
