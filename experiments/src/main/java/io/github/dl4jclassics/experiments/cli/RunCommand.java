package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.Verdict;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.experiments.run.ExperimentRunner;
import io.github.dl4jclassics.experiments.run.RunOptions;
import io.github.dl4jclassics.experiments.run.RunSummary;
import io.github.dl4jclassics.training.TrainingProgress;
import io.github.dl4jclassics.training.ui.TrainingUi;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run NAME|MANIFEST_FILE}: train and evaluate one experiment, writing a new run folder. */
@Command(name = "run", description = "Run an experiment: train, evaluate, and compare with the documented result.")
public class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME|MANIFEST_FILE",
            description = "Experiment name (see `list`) or a manifest .json path (optional with --resume).")
    String experiment;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue an interrupted run in its own folder from its last checkpoint.")
    Path resume;

    @Option(names = "--from", paramLabel = "RUN_DIR",
            description = "Continue a finished run for more epochs (--epochs +N) in a new run folder.")
    Path from;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the data set is (overrides the manifest's location).")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Root of run folders (default: runs).")
    Path out;

    @Option(names = "--epochs", paramLabel = "N|+N",
            description = "Number of epochs (overrides the manifest); with --from, +N adds N epochs to the finished run.")
    String epochs;

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

    @Option(names = "--ui", description = "Live charts in DL4J's training UI, on 127.0.0.1 only, while the run trains.")
    boolean ui;

    @Option(names = "--ui-port", paramLabel = "PORT", description = "Port of the --ui server (default: 9000).")
    Integer uiPort;

    @Override
    public Integer call() throws Exception {
        Integer totalEpochs = null;
        Integer moreEpochs = null;
        if (epochs != null) {
            if (epochs.startsWith("+")) {
                if (from == null) {
                    throw new IllegalArgumentException("--epochs " + epochs + " (more epochs) needs --from RUN_DIR");
                }
                moreEpochs = positive("--epochs", parse(epochs.substring(1)));
            } else {
                totalEpochs = positive("--epochs", parse(epochs));
            }
        }
        boolean interactive = TrainingProgress.terminalAttached() && !json;
        if (uiPort != null && !ui) {
            throw new IllegalArgumentException("--ui-port needs --ui");
        }
        if (uiPort != null && (uiPort < 1 || uiPort > 65535)) {
            throw new IllegalArgumentException("--ui-port must be between 1 and 65535, got " + uiPort);
        }
        Integer uiServerPort = ui ? (uiPort != null ? uiPort : TrainingUi.DEFAULT_PORT) : null;
        if (io.github.dl4jclassics.experiments.regress.BackendInfo.current().cuda()) {
            // A GPU the CUDA build cannot serve fails here with the supported range, not with a native crash mid-run.
            io.github.dl4jclassics.experiments.regress.GpuCheck.verify(true).forEach(System.err::println);
        }
        RunResult result;
        if (resume != null) {
            if (from != null || totalEpochs != null || seed != null || batchSize != null || limitTrain != null || limitTest != null) {
                throw new IllegalArgumentException("--resume continues a run exactly as it was started: only --data-dir"
                        + " may be given with it");
            }
            RunOptions options = new RunOptions(dataDir, null, null, null, null, null, null, null, null, interactive,
                    uiServerPort);
            result = runner().withRecipes(recipes()).resume(resume, options);
        } else {
            if (experiment == null) {
                throw new IllegalArgumentException("name an experiment (see `list`) or give --resume RUN_DIR");
            }
            ManifestLoader loader = recipes();
            ExperimentManifest manifest = loader.load(experiment);
            RunOptions options = new RunOptions(dataDir, out, totalEpochs, moreEpochs, seed, batchSize,
                    positive("--limit-train", limitTrain), positive("--limit-test", limitTest), from, interactive,
                    uiServerPort);
            result = runner().withRecipes(loader).run(manifest, options);
        }
        System.out.println(json ? io.github.dl4jclassics.common.Json.write(result) : RunSummary.format(result));
        return "COMPLETED".equals(result.status()) && result.verdict() != Verdict.FAIL ? 0 : 1;
    }

    /** The experiments by name: what a shortened run is compared with (see ExperimentRunner#shortenings). */
    private ManifestLoader recipes() {
        return new ManifestLoader(manifests != null ? manifests : ManifestLoader.defaultDirectory());
    }

    /** The runner of this command; a subclass may train elsewhere (the spark module's {@code run --spark}). */
    protected ExperimentRunner runner() {
        return new ExperimentRunner();
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--epochs must be N or +N, got '" + number + "'");
        }
    }

    private static Integer positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        }
        return value;
    }
}
