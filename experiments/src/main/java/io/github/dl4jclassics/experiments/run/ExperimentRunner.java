package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataLocator;
import io.github.dl4jclassics.data.DataPipeline;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.evaluation.Evaluator;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.evaluation.Verdict;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.training.DivergenceException;
import io.github.dl4jclassics.training.EpochLog;
import io.github.dl4jclassics.training.Optimizers;
import io.github.dl4jclassics.training.Trainer;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.training.TrainingOutcome;
import io.github.dl4jclassics.training.Validator;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one experiment end to end: validate everything (manifest, model, data) before creating the run folder,
 * then train, evaluate, and write the run folder's files.
 */
public final class ExperimentRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    private final ModelRegistry models;
    private final DatasetRegistry datasets;

    public ExperimentRunner() {
        this(ModelRegistry.standard(), DatasetRegistry.standard());
    }

    public ExperimentRunner(ModelRegistry models, DatasetRegistry datasets) {
        this.models = models;
        this.datasets = datasets;
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
        return manifest.withTraining(training);
    }

    public RunResult run(ExperimentManifest original, RunOptions options) throws IOException {
        ExperimentManifest manifest = resolve(original, options);
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();

        // 1. Everything that can be wrong with the inputs fails here, before a run folder exists.
        ClassicModel model = models.get(manifest.model().id());
        DatasetSource source = datasets.get(manifest.data().dataset());
        DataFiles files = new DataLocator(options.dataDir()).locate(source, manifest.data().location());
        LOG.info("reading {} from {}", source.id(), files);
        PreparedData data = DataPipeline.prepare(source, files, manifest.data(), manifest.model().input(),
                options.limitTrain(), options.limitTest(), null);
        if (data.classNames().size() != manifest.model().classes()) {
            throw new IllegalArgumentException("model.classes is " + manifest.model().classes() + " but data set '"
                    + source.id() + "' has " + data.classNames().size() + " classes");
        }
        ModelSpec spec = new ModelSpec(manifest.model().classes(), manifest.model().input(), manifest.training().seed(),
                manifest.model().init());
        Object configuration = model.configuration(spec);
        Optimizers.apply(configuration, manifest.training().optimizer(), manifest.training().gradientClipping());
        ClassifierNetwork network = ClassifierNetwork.fromConfiguration(configuration);
        LOG.info("{}: {} ({} parameters), {} train / {} validation / {} test images", manifest.name(), model.id(),
                network.numParams(), data.train().size(), data.validation() == null ? 0 : data.validation().size(),
                data.test().size());

        // 2. The run folder: manifest and environment first, so even a failed run says what it was.
        RunDirectory run = RunDirectory.create(options.outRootOrDefault(), manifest.name(), LocalDateTime.now());
        LOG.info("run folder {}", run.path());
        Json.writeFile(run.file(RunDirectory.MANIFEST), manifest);
        Json.writeFile(run.file(RunDirectory.ENVIRONMENT), EnvironmentInfo.capture());
        if (data.dataStatistics() != null) {
            // Normalization and PCA statistics of the training split, reused by evaluate and predict.
            Json.writeFile(run.file(RunDirectory.NORMALIZATION), data.dataStatistics());
        }

        int batchSize = manifest.training().batchSize();
        int k = manifest.evaluation().topK();
        Validator validator = data.validation() == null ? null : net -> {
            SplitMetrics m = Evaluator.evaluate(net, data.evalIterator(data.validation(), batchSize), data.classNames(), k);
            return new Validator.ValidationResult(m.loss(), m.top1(), m.top5());
        };
        CheckpointStore checkpoints = new CheckpointStore(run.file(RunDirectory.CHECKPOINTS),
                manifest.training().keepCheckpoints() == null ? 2 : manifest.training().keepCheckpoints());
        EpochLog epochLog = new EpochLog(run.file(RunDirectory.EPOCHS));
        Trainer trainer = new Trainer(manifest.training(), checkpoints, epochLog, options.interactive());
        TrainingOutcome outcome;
        try {
            outcome = trainer.train(network, data.trainIterator(batchSize, manifest.training().seed()), validator, null);
        } catch (DivergenceException e) {
            LOG.error(e.getMessage());
            RunResult failed = new RunResult(manifest.name(), model.id(), source.id(), epochLog.records().size(), null, null,
                    manifest.documented(), null, Verdict.judge(manifest.documented(), null), "DIVERGED", e.getMessage(),
                    seconds(started), startedAt, run.path().toString());
            Json.writeFile(run.file(RunDirectory.RESULT), failed);
            return failed;
        }

        // 3. The trained model, then its metrics on test (and validation).
        ClassifierNetwork trained = outcome.network();
        io.github.dl4jclassics.common.AtomicFiles.write(run.file(RunDirectory.MODEL), tmp -> trained.save(tmp.toFile(), false));
        SplitMetrics test = Evaluator.evaluate(trained, data.evalIterator(data.test(), batchSize), data.classNames(), k);
        SplitMetrics validation = data.validation() == null ? null
                : Evaluator.evaluate(trained, data.evalIterator(data.validation(), batchSize), data.classNames(), k);
        Double measured = RunResult.measuredValue(manifest.documented(), test, validation);
        RunResult result = new RunResult(manifest.name(), model.id(), source.id(), outcome.epochsRun(), test, validation,
                manifest.documented(), measured, Verdict.judge(manifest.documented(), measured), "COMPLETED", null,
                seconds(started), startedAt, run.path().toString());
        Json.writeFile(run.file(RunDirectory.RESULT), result);
        RunArtifacts.write(run, result, epochLog.records());
        return result;
    }

    private static double seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e7) / 100.0;
    }
}
