package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.Verdict;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.experiments.run.ExperimentRunner;
import io.github.dl4jclassics.experiments.run.RunOptions;
import io.github.dl4jclassics.experiments.run.RunSummary;
import io.github.dl4jclassics.training.TrainingProgress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run NAME|MANIFEST_FILE}: train and evaluate one experiment, writing a new run folder. */
@Command(name = "run", description = "Run an experiment: train, evaluate, and compare with the documented result.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME|MANIFEST_FILE", description = "Experiment name (see `list`) or a manifest .json path.")
    String experiment;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the data set is (overrides the manifest's location).")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Root of run folders (default: runs).")
    Path out;

    @Option(names = "--epochs", description = "Number of epochs (overrides the manifest).")
    Integer epochs;

    @Option(names = "--seed", description = "Seed for initialisation, data order and augmentation (overrides the manifest).")
    Long seed;

    @Option(names = "--batch-size", description = "Batch size (overrides the manifest).")
    Integer batchSize;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N examples of the training files.")
    Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", description = "Use only the first N test examples.")
    Integer limitTest;

    @Option(names = "--manifests", paramLabel = "DIR", description = "Manifests folder (default: experiments/manifests, then the jar's).")
    Path manifests;

    @Option(names = "--json", description = "Print result.json instead of the summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ManifestLoader loader = new ManifestLoader(manifests != null ? manifests : ManifestLoader.defaultDirectory());
        ExperimentManifest manifest = loader.load(experiment);
        RunOptions options = new RunOptions(dataDir, out, epochs, seed, batchSize, positive("--limit-train", limitTrain),
                positive("--limit-test", limitTest), TrainingProgress.terminalAttached() && !json);
        RunResult result = new ExperimentRunner().run(manifest, options);
        System.out.println(json ? io.github.dl4jclassics.common.Json.write(result) : RunSummary.format(result));
        return "COMPLETED".equals(result.status()) && result.verdict() != Verdict.FAIL ? 0 : 1;
    }

    private static Integer positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        }
        return value;
    }
}
