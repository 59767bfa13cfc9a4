package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.run.ExperimentRunner;
import io.github.dl4jclassics.experiments.run.RunOptions;
import io.github.dl4jclassics.experiments.run.TrainingTrace;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trace NAME|FILE --steps N --out DIR}: the first N training steps of a run, for a PyTorch replay. */
@Command(name = "trace", description = "Train the first N steps of an experiment exactly as `run` does (dropout off)"
        + " and write init.npz, batches.npz, trace.json, final.npz and logits.npy for scripts/pytorch-replay.")
public class TraceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME|MANIFEST_FILE", description = "Experiment name (see `list`) or a manifest .json path.")
    String experiment;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "Training steps (batches) to record.")
    int steps;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the trace files.")
    Path out;

    @Option(names = "--float64", description = "Train the steps in double precision (initialised as in a run, then"
            + " cast): for step-by-step comparisons of batch-norm networks, whose float32 runs part from PyTorch's at"
            + " ReLU inputs within rounding distance of 0.")
    boolean float64;

    @Mixin
    RecipeOverrides overrides;

    @Mixin
    ManifestsOption manifests;

    @Override
    public Integer call() throws Exception {
        if (overrides.epochs != null) {
            throw new IllegalArgumentException("trace trains --steps N batches of the first epoch: --epochs does not apply");
        }
        ExperimentManifest manifest = ExperimentRunner.resolve(manifests.loader().load(experiment),
                overrides.applyTo(RunOptions.builder(), false).build());
        TrainingTrace.Trace trace = TrainingTrace.write(manifest, overrides.dataDir, steps, out, float64);
        System.out.println(trace.dropoutDisabledIn().isEmpty() ? "dropout: none in this model"
                : "dropout disabled for the trace in " + String.join(", ", trace.dropoutDisabledIn())
                        + " (PyTorch's replay runs without it too); everything else as in `run`");
        System.out.printf(Locale.ROOT, "%s (%s, %s, %d classes), optimizer %s, batch %d, seed %d, %s%s%n",
                trace.manifest(), trace.model(), trace.input(), trace.classes(), trace.optimizer(), trace.batchSize(),
                trace.seed(), trace.dtype(), trace.mixup() ? ", mixup (soft labels)" : "");
        for (TrainingTrace.Step step : trace.steps()) {
            System.out.printf(Locale.ROOT, "step %3d  lr %.6g  loss %.7f%n", step.step(), step.lr(), step.loss());
        }
        System.out.println("wrote " + TrainingTrace.INIT + ", " + TrainingTrace.BATCHES + ", " + TrainingTrace.TRACE
                + ", " + TrainingTrace.FINAL + ", " + TrainingTrace.LOGITS + " to " + out
                + "; replay with: scripts/pytorch-replay " + out);
        return 0;
    }
}
