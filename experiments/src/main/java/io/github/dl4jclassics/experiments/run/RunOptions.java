package io.github.dl4jclassics.experiments.run;

import java.nio.file.Path;

/**
 * Command-line overrides of a manifest for one run; null fields keep the manifest's value.
 *
 * @param outRoot    where run folders go ({@code runs/} by default)
 * @param epochs     total epochs
 * @param moreEpochs with {@code from}: epochs to add to the finished run's ("--epochs +50")
 * @param limitTrain keep only the first N examples of the training files (before the validation split)
 * @param limitTest  keep only the first N test examples
 * @param from       a finished run folder to continue in a new run folder (its last checkpoint)
 * @param uiPort     null: no live UI; otherwise the port of DL4J's training UI on 127.0.0.1 (0: any free port)
 */
public record RunOptions(
        Path dataDir,
        Path outRoot,
        Integer epochs,
        Integer moreEpochs,
        Long seed,
        Integer batchSize,
        Integer limitTrain,
        Integer limitTest,
        Path from,
        boolean interactive,
        Integer uiPort) {

    /** Without the live UI. */
    public RunOptions(Path dataDir, Path outRoot, Integer epochs, Integer moreEpochs, Long seed, Integer batchSize,
                      Integer limitTrain, Integer limitTest, Path from, boolean interactive) {
        this(dataDir, outRoot, epochs, moreEpochs, seed, batchSize, limitTrain, limitTest, from, interactive, null);
    }

    public static RunOptions defaults() {
        return new RunOptions(null, Path.of("runs"), null, null, null, null, null, null, null, false, null);
    }

    public Path outRootOrDefault() {
        return outRoot != null ? outRoot : Path.of("runs");
    }
}
