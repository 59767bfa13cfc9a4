package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.common.AtomicFiles;
import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataLocator;
import io.github.dl4jclassics.data.DataPipeline;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.PrepareOptions;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.transforms.DataStatistics;
import io.github.dl4jclassics.evaluation.ConfusionMatrixCsv;
import io.github.dl4jclassics.evaluation.Evaluator;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.evaluation.Verdict;
import io.github.dl4jclassics.evaluation.report.RunReport;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.training.DivergenceException;
import io.github.dl4jclassics.training.EpochLog;
import io.github.dl4jclassics.training.Optimizers;
import io.github.dl4jclassics.training.Resume;
import io.github.dl4jclassics.training.Trainer;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.training.TrainingOutcome;
import io.github.dl4jclassics.training.Validator;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.training.checkpoints.TrainingState;
import io.github.dl4jclassics.training.transfer.TransferLearner;
import io.github.dl4jclassics.training.ui.TrainingUi;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.ModelSummary;
import io.github.dl4jclassics.zoo.layers.NativeLayers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one experiment end to end: validate everything (manifest, model, data) before creating the run folder,
 * then train, evaluate, and write the run folder's files. Also continues runs: {@link #resume} an interrupted
 * one in its own folder, or (with {@link RunOptions#from()}) a finished one for more epochs in a new folder.
 */
public final class ExperimentRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    private final ModelRegistry models;
    private final DatasetRegistry datasets;
    /** Null: the epochs are trained in this JVM. */
    private DistributedTraining distributed;

    public ExperimentRunner() {
        this(ModelRegistry.standard(), DatasetRegistry.standard());
    }

    public ExperimentRunner(ModelRegistry models, DatasetRegistry datasets) {
        this.models = models;
        this.datasets = datasets;
    }

    /** Trains the epochs of the runs this runner starts or resumes with {@code training} (e.g. on Spark). */
    public ExperimentRunner withDistributedTraining(DistributedTraining training) {
        this.distributed = training;
        return this;
    }

    /** The manifest with the command line's overrides applied: what the run saves as manifest.json. */
    public static ExperimentManifest resolve(ExperimentManifest manifest, RunOptions options) {
        TrainingConfig training = manifest.training();
        if (options.epochs() != null) {
            training = training.withEpochs(options.epochs());
        }
        if (options.seed() != null) {
            training = training.withSeed(options.seed());
        }
        if (options.batchSize() != null) {
            training = training.withBatchSize(options.batchSize());
        }
        return manifest.withTraining(training)
                .withData(manifest.data().withLimits(options.limitTrain(), options.limitTest()));
    }

    /** A fresh run, or with {@code options.from()} the continuation of a finished run, in a new run folder. */
    public RunResult run(ExperimentManifest original, RunOptions options) throws IOException {
        ExperimentManifest manifest = resolve(original, options);
        if (distributed != null) {
            manifest = distributed.prepare(manifest);
        }
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();

        // 1. Everything that can be wrong with the inputs fails here, before a run folder exists.
        Inputs inputs = prepareInputs(manifest, options.dataDir(), null);
        ClassifierNetwork network;
        TrainingState state = null;
        TrainingConfig training = manifest.training();
        if (options.from() != null) {
            Resume.Point point = Resume.forMoreEpochs(options.from().resolve(RunDirectory.CHECKPOINTS));
            int done = point.state().epochsCompleted();
            int total = options.moreEpochs() != null ? done + options.moreEpochs()
                    : Resume.targetEpochs(String.valueOf(training.epochs()), done);
            training = training.withEpochs(total).withSeed(point.state().seed());
            manifest = manifest.withTraining(training);
            network = point.network();
            state = point.state();
            LOG.info("continuing {} from epoch {} to epoch {}", options.from(), done, total);
        } else {
            network = newNetwork(manifest, inputs);
            if (manifest.transfer() != null) {
                training = TransferLearner.trainingConfig(training, manifest.transfer());
            }
        }
        LOG.info("{}: {} ({} parameters), {} train / {} validation / {} test images", manifest.name(),
                inputs.model().id(), network.numParams(), inputs.data().train().size(),
                inputs.data().validation() == null ? 0 : inputs.data().validation().size(), inputs.data().test().size());

        // 2. The run folder: manifest and environment first, so even a failed run says what it was.
        RunDirectory run = RunDirectory.create(options.outRootOrDefault(), manifest.name(), LocalDateTime.now());
        LOG.info("run folder {}", run.path());
        Json.writeFile(run.file(RunDirectory.MANIFEST), manifest);
        Json.writeFile(run.file(RunDirectory.ENVIRONMENT), distributed == null ? EnvironmentInfo.capture()
                : distributed.environment(EnvironmentInfo.capture()));
        if (inputs.data().dataStatistics() != null) {
            // Normalization and PCA statistics of the training split, reused by evaluate and predict.
            Json.writeFile(run.file(RunDirectory.NORMALIZATION), inputs.data().dataStatistics());
        }
        EpochLog epochLog = new EpochLog(run.file(RunDirectory.EPOCHS));
        return trainAndFinish(manifest, training, inputs, network, state, run, epochLog, options.interactive(),
                options.uiPort(), started, startedAt);
    }

    /**
     * Continues an interrupted run in its own folder from its last complete checkpoint (or from the start, if it
     * was killed during its first epoch), with the manifest it saved.
     */
    public RunResult resume(Path runFolder, RunOptions options) throws IOException {
        Path manifestFile = runFolder.resolve(RunDirectory.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException(runFolder + " is not a run folder: it has no " + RunDirectory.MANIFEST);
        }
        ExperimentManifest manifest = new ManifestLoader(null, models, datasets).loadSavedRun(manifestFile);
        if (distributed != null) {
            manifest = distributed.prepare(manifest);
        }
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();
        DataStatistics saved = Files.isRegularFile(runFolder.resolve(RunDirectory.NORMALIZATION))
                ? Json.readFile(runFolder.resolve(RunDirectory.NORMALIZATION), DataStatistics.class) : null;
        Inputs inputs = prepareInputs(manifest, options.dataDir(), saved);
        RunDirectory run = new RunDirectory(runFolder);
        Optional<Resume.Point> point = Resume.fromRunCheckpoints(run.file(RunDirectory.CHECKPOINTS));
        TrainingConfig training = manifest.training();
        ClassifierNetwork network;
        TrainingState state = null;
        if (point.isPresent()) {
            network = point.get().network();
            state = point.get().state();
            LOG.info("resuming {} after epoch {}", runFolder, state.epochsCompleted());
        } else {
            LOG.info("{} has no complete checkpoint: starting it again", runFolder);
            network = newNetwork(manifest, inputs);
        }
        if (manifest.transfer() != null) {
            training = TransferLearner.trainingConfig(training, manifest.transfer());
        }
        EpochLog epochLog = new EpochLog(run.file(RunDirectory.EPOCHS));
        return trainAndFinish(manifest, training, inputs, network, state, run, epochLog, options.interactive(),
                options.uiPort(), started, startedAt);
    }

    /** The network a run starts from: pretrained and re-headed for transfer learning, else freshly initialised. */
    private static ClassifierNetwork newNetwork(ExperimentManifest manifest, Inputs inputs) throws IOException {
        TrainingConfig training = manifest.training();
        if (manifest.transfer() != null) {
            ClassifierNetwork pretrained = TransferLearner.loadPretrained(manifest.transfer(), inputs.model(), inputs.spec());
            return TransferLearner.prepare(pretrained, manifest.transfer(), manifest.model().classes(), training);
        }
        Object configuration = NativeLayers.apply(inputs.model().configuration(inputs.spec()));
        Optimizers.apply(configuration, training.optimizer(), training.gradientClipping());
        return ClassifierNetwork.fromConfiguration(configuration);
    }

    /** What a run needs that is validated before anything is written. */
    private record Inputs(ClassicModel model, ModelSpec spec, DatasetSource source, PreparedData data) {
    }

    private Inputs prepareInputs(ExperimentManifest manifest, Path dataDir, DataStatistics saved) throws IOException {
        ClassicModel model = models.get(manifest.model().id());
        DatasetSource source = datasets.get(manifest.data().dataset());
        DataFiles files = new DataLocator(dataDir).locate(source, manifest.data().location());
        LOG.info("reading {} from {}", source.id(), files);
        PreparedData data = DataPipeline.prepare(source, files, manifest.data(), manifest.model().input(),
                PrepareOptions.defaults().withSaved(saved));
        if (data.classNames().size() != manifest.model().classes()) {
            throw new IllegalArgumentException("model.classes is " + manifest.model().classes() + " but data set '"
                    + source.id() + "' has " + data.classNames().size() + " classes");
        }
        ModelSpec spec = new ModelSpec(manifest.model().classes(), manifest.model().input(), manifest.training().seed(),
                manifest.model().init());
        return new Inputs(model, spec, source, data);
    }

    private RunResult trainAndFinish(ExperimentManifest manifest, TrainingConfig training, Inputs inputs,
                                     ClassifierNetwork network, TrainingState state, RunDirectory run, EpochLog epochLog,
                                     boolean interactive, Integer uiPort, long started, String startedAt)
            throws IOException {
        if (uiPort == null) {
            return trainAndFinish(manifest, training, inputs, network, state, run, epochLog, interactive, List.of(),
                    started, startedAt);
        }
        // Started before training and stopped when the run is over, whatever its outcome; it refuses to start
        // rather than listen on anything but 127.0.0.1.
        try (TrainingUi ui = TrainingUi.start(uiPort)) {
            LOG.info("training UI: {} (this machine only; it stops when the run ends)", ui.url());
            return trainAndFinish(manifest, training, inputs, network, state, run, epochLog, interactive,
                    List.of(ui.listener()), started, startedAt);
        }
    }

    private RunResult trainAndFinish(ExperimentManifest manifest, TrainingConfig training, Inputs inputs,
                                     ClassifierNetwork network, TrainingState state, RunDirectory run, EpochLog epochLog,
                                     boolean interactive, List<TrainingListener> listeners, long started,
                                     String startedAt) throws IOException {
        PreparedData data = inputs.data();
        int batchSize = training.batchSize();
        int k = manifest.evaluation().topK();
        Validator validator = data.validation() == null ? null : net -> {
            SplitMetrics m = Evaluator.evaluate(net, data.evalIterator(data.validation(), batchSize), data.classNames(), k);
            return new Validator.ValidationResult(m.loss(), m.top1(), m.top5());
        };
        CheckpointStore checkpoints = new CheckpointStore(run.file(RunDirectory.CHECKPOINTS),
                training.keepCheckpoints() == null ? 2 : training.keepCheckpoints());
        Trainer trainer = new Trainer(training, checkpoints, epochLog, interactive, listeners);
        if (distributed != null) {
            trainer.withEpochFitter(distributed.fitter(manifest, data));
        }
        // One native thread for small networks or a busy machine, all cores otherwise (measured: docs/PERFORMANCE.md).
        int threads = FastPath.useThreadsFor(ModelSummary.of(inputs.model(), inputs.spec()).macs());
        LOG.info("training on {} native thread{}", threads, threads == 1 ? "" : "s");
        TrainingOutcome outcome;
        try {
            outcome = trainer.train(network, data.trainIterator(batchSize, training.seed()), validator, state);
        } catch (DivergenceException e) {
            LOG.error(e.getMessage());
            RunResult failed = new RunResult(manifest.name(), inputs.model().id(), inputs.source().id(),
                    epochLog.records().size(), null, null, manifest.documented(), null,
                    Verdict.judge(manifest.documented(), null), "DIVERGED", e.getMessage(), seconds(started), startedAt,
                    run.path().toString());
            Json.writeFile(run.file(RunDirectory.RESULT), failed);
            writeReport(run);
            return failed;
        }

        // The trained model, then its metrics on test (and validation), then the human-facing files.
        ClassifierNetwork trained = outcome.network();
        AtomicFiles.write(run.file(RunDirectory.MODEL), tmp -> trained.save(tmp.toFile(), false));
        SplitMetrics test = Evaluator.evaluate(trained, data.evalIterator(data.test(), batchSize), data.classNames(), k);
        SplitMetrics validation = data.validation() == null ? null
                : Evaluator.evaluate(trained, data.evalIterator(data.validation(), batchSize), data.classNames(), k);
        Double measured = RunResult.measuredValue(manifest.documented(), test, validation);
        RunResult result = new RunResult(manifest.name(), inputs.model().id(), inputs.source().id(), outcome.epochsRun(),
                test, validation, manifest.documented(), measured, Verdict.judge(manifest.documented(), measured),
                "COMPLETED", null, seconds(started), startedAt, run.path().toString());
        Json.writeFile(run.file(RunDirectory.RESULT), result);
        ConfusionMatrixCsv.writeAll(run.path(), result);
        writeReport(run);
        return result;
    }

    /** Charts and report.html/report.md; a failure here must not lose the run's results. */
    private static void writeReport(RunDirectory run) {
        try {
            RunReport.write(run.path());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write the report of {}: {}", run.path(), e.getMessage());
        }
    }

    private static double seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e7) / 100.0;
    }
}
