package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.RunStatus;
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
import picocli.CommandLine.Mixin;
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

    @Mixin
    RecipeOverrides overrides;

    @Mixin
    ManifestsOption manifests;

    @Option(names = "--out", paramLabel = "DIR", description = "Root of run folders (default: runs).")
    Path out;

    @Option(names = "--json", description = "Print result.json instead of the summary.")
    boolean json;

    @Option(names = "--ui", description = "Live charts in DL4J's training UI, on 127.0.0.1 only, while the run trains.")
    boolean ui;

    @Option(names = "--ui-port", paramLabel = "PORT", description = "Port of the --ui server (default: 9000).")
    Integer uiPort;

    @Override
    public Integer call() throws Exception {
        boolean interactive = TrainingProgress.terminalAttached() && !json;
        if (uiPort != null && !ui) {
            throw new IllegalArgumentException("--ui-port needs --ui");
        }
        Integer uiServerPort = ui ? TrainingUi.checkedPort(uiPort != null ? uiPort : TrainingUi.DEFAULT_PORT) : null;
        if (io.github.dl4jclassics.experiments.regress.BackendInfo.current().cuda()) {
            // A GPU the CUDA build cannot serve fails here with the supported range, not with a native crash mid-run.
            io.github.dl4jclassics.experiments.regress.GpuCheck.verify(true).forEach(System.err::println);
        }
        RunResult result;
        ManifestLoader loader = manifests.loader();
        if (resume != null) {
            if (from != null || overrides.changesTheRecipe()) {
                throw new IllegalArgumentException("--resume continues a run exactly as it was started: only --data-dir"
                        + " may be given with it");
            }
            RunOptions options = RunOptions.builder().dataDir(overrides.dataDir).interactive(interactive)
                    .uiPort(uiServerPort).build();
            result = runner().withRecipes(loader).resume(resume, options);
        } else {
            if (experiment == null) {
                throw new IllegalArgumentException("name an experiment (see `list`) or give --resume RUN_DIR");
            }
            ExperimentManifest manifest = loader.load(experiment);
            RunOptions options = overrides.applyTo(RunOptions.builder(), from != null).outRoot(out).from(from)
                    .interactive(interactive).uiPort(uiServerPort).build();
            result = runner().withRecipes(loader).run(manifest, options);
        }
        System.out.println(json ? io.github.dl4jclassics.common.Json.write(result) : RunSummary.format(result));
        return result.status() == RunStatus.COMPLETED && result.verdict() != Verdict.FAIL ? 0 : 1;
    }

    /** The runner of this command; a subclass may train elsewhere (the spark module's {@code run --spark}). */
    protected ExperimentRunner runner() {
        return new ExperimentRunner();
    }
}
