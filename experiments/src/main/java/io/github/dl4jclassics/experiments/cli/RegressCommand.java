package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.experiments.regress.BackendInfo;
import io.github.dl4jclassics.experiments.regress.GpuCheck;
import io.github.dl4jclassics.experiments.regress.RegressionReport;
import io.github.dl4jclassics.experiments.regress.RegressionRunner;
import io.github.dl4jclassics.experiments.run.ExperimentRunner;
import io.github.dl4jclassics.experiments.run.RunOptions;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code regress [--tag nightly] [--gpu] [--out DIR]}: runs the tagged experiments and writes regression.json,
 * regression.md and TEST-regression.xml. Exit code 0 when every experiment passes (or has nothing documented),
 * 1 when any falls short of its documented value, 3 when none fell short but some could not run.
 */
@Command(name = "regress", description = "Run the experiments with a tag and check each against its documented result;"
        + " writes regression.json, regression.md and TEST-regression.xml (JUnit). Exit 1: an experiment failed its"
        + " documented value; 3: an experiment could not run (missing data, out of memory).")
final class RegressCommand implements Callable<Integer> {

    @Option(names = "--tag", defaultValue = "nightly", description = "Manifest tag to run (default: ${DEFAULT-VALUE}; 'all' for every manifest).")
    String tag;

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Only these experiments (comma-separated), still filtered by --tag.")
    List<String> only;

    @Option(names = "--gpu", description = "Require the CUDA backend (fails at once on CPU) and record it in the report.")
    boolean gpu;

    @Option(names = "--check-backend", description = "Print what ND4J runs on (backend, cuDNN, devices) and exit; with --gpu, fail unless CUDA.")
    boolean checkBackend;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "regression", description = "Report folder; run folders go to DIR/runs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ManifestsOption manifests;

    @Mixin
    RecipeOverrides overrides;

    @Override
    public Integer call() throws Exception {
        BackendInfo backend = BackendInfo.current();
        System.out.println(backend.summary());
        if (gpu) {
            backend.requireCuda();
        }
        if (gpu || checkBackend || backend.cuda()) {
            // GPU name and compute capability, the supported range, and one convolution: fails here, not mid-night.
            GpuCheck.verify(backend.cuda()).forEach(System.out::println);
        }
        if (checkBackend) {
            System.out.println(backend.environment());
            return 0;
        }
        ManifestLoader loader = manifests.loader();
        RunOptions options = overrides.applyTo(RunOptions.builder(), false).outRoot(RegressionRunner.runsUnder(out))
                .build();
        // regress judges every run against its documented value, even a quick trial of regress itself.
        ExperimentRunner runner = new ExperimentRunner().judgingShortenedRuns();
        RegressionReport report = new RegressionRunner(loader, runner::run)
                .run(tag, only == null ? java.util.Set.of() : new LinkedHashSet<>(only), gpu, backend.summary(), options);
        if (report.entries().isEmpty()) {
            throw new IllegalArgumentException("no experiment has the tag '" + tag + "'" + (only == null ? "" : " among " + only));
        }
        report.write(out);
        System.out.print(report.markdown());
        System.out.println();
        System.out.println(report.summaryLine());
        System.out.println("reports: " + out.resolve(RegressionReport.JSON) + ", " + out.resolve(RegressionReport.MARKDOWN)
                + ", " + out.resolve(RegressionReport.JUNIT));
        return report.exitCode();
    }
}
