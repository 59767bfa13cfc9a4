package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.common.AtomicFiles;
import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.common.RunLayout;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataLocator;
import io.github.dl4jclassics.data.DataPipeline;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.PrepareOptions;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.transforms.DataStatistics;
import io.github.dl4jclassics.evaluation.Checks;
import io.github.dl4jclassics.evaluation.Evaluator;
import io.github.dl4jclassics.evaluation.RunEnding;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.RunStatus;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.evaluation.charts.ImageGrid;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.training.DivergenceException;
import io.github.dl4jclassics.training.EpochLog;
import io.github.dl4jclassics.training.EpochTarget;
import io.github.dl4jclassics.training.NetworkAssembly;
import io.github.dl4jclassics.training.Trainer;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.training.TrainingOutcome;
import io.github.dl4jclassics.training.TrainingStart;
import io.github.dl4jclassics.training.Validator;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.training.ui.TrainingUi;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.ModelSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
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
    private final Function<String, Optional<ExperimentManifest>> recipes;
    private final boolean judgeShortenedRuns;
    /** Null: the epochs are trained in this JVM. */
    private DistributedTraining distributed;

    public ExperimentRunner() {
        this(ModelRegistry.standard(), DatasetRegistry.standard());
    }

    public ExperimentRunner(ModelRegistry models, DatasetRegistry datasets) {
        this(models, datasets, name -> Optional.empty(), false);
    }

    private ExperimentRunner(ModelRegistry models, DatasetRegistry datasets,
                             Function<String, Optional<ExperimentManifest>> recipes, boolean judgeShortenedRuns) {
        this.models = models;
        this.datasets = datasets;
        this.recipes = recipes;
        this.judgeShortenedRuns = judgeShortenedRuns;
    }

    /**
     * Compares each run with the experiment of the same name in {@code loader} (the documented recipe), not only
     * with the manifest it was given: a run folder's own manifest.json of a shortened run stays shortened.
     */
    public ExperimentRunner withRecipes(ManifestLoader loader) {
        ExperimentRunner runner = new ExperimentRunner(models, datasets, name -> {
            if (name == null || !loader.names().contains(name)) {
                return Optional.empty();
            }
            try {
                return Optional.of(loader.load(name));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }, judgeShortenedRuns);
        runner.distributed = distributed;
        return runner;
    }

    /** Judges shortened runs against the documented value anyway ({@code regress}'s quick trials of itself). */
    public ExperimentRunner judgingShortenedRuns() {
        ExperimentRunner runner = new ExperimentRunner(models, datasets, recipes, true);
        runner.distributed = distributed;
        return runner;
    }

    /**
     * What makes {@code run} differ from the recipe its documented value was measured with: fewer or more epochs,
     * another batch size, first-N data limits. Empty when it is the full recipe.
     */
    public static List<String> shortenings(ExperimentManifest recipe, ExperimentManifest run) {
        List<String> differences = new ArrayList<>();
        if (run.training().epochs() != recipe.training().epochs()) {
            differences.add("--epochs " + run.training().epochs() + " (the recipe: " + recipe.training().epochs() + ")");
        }
        if (run.training().batchSize() != recipe.training().batchSize()) {
            differences.add("--batch-size " + run.training().batchSize() + " (the recipe: "
                    + recipe.training().batchSize() + ")");
        }
        if (!Objects.equals(run.data().limitTrain(), recipe.data().limitTrain())) {
            differences.add("--limit-train " + run.data().limitTrain());
        }
        if (!Objects.equals(run.data().limitTest(), recipe.data().limitTest())) {
            differences.add("--limit-test " + run.data().limitTest());
        }
        return differences;
    }

    /**
     * The run's manifest with {@code shortened} set: what differs from the manifest it was given, from what that
     * manifest already said (a saved manifest of a shortened run), and from the experiment of the same name.
     */
    private ExperimentManifest markShortenings(ExperimentManifest given, ExperimentManifest run) {
        List<String> differences = new ArrayList<>(run.shortenings());
        List<String> found = new ArrayList<>(shortenings(given, run));
        recipes.apply(run.name()).ifPresent(recipe -> found.addAll(shortenings(recipe, run)));
        for (String difference : found) {
            if (!differences.contains(difference)) {
                differences.add(difference);
            }
        }
        return run.withShortened(differences);
    }

    /** Null when the run is judged; otherwise why it is not comparable with its documented value. */
    private String notComparableReason(ExperimentManifest run) {
        if (judgeShortenedRuns || run.documented() == null || run.documented().value() == null
                || run.shortenings().isEmpty()) {
            return null;
        }
        return "shortened run (" + String.join(", ", run.shortenings()) + "): the documented value was measured "
                + "with the full recipe";
    }

    /**
     * The manifest a run saves: the resolved one, with {@code data.location} set to where the data was found, so
     * that {@code run --resume RUN_DIR} needs nothing else ({@code --data-dir} still points elsewhere).
     */
    private static ExperimentManifest withFoundLocation(ExperimentManifest manifest, DataFiles files) {
        String location = files instanceof DataFiles.DirectoryFiles directory
                ? directory.directory().toAbsolutePath().normalize().toString() : files.toString();
        // Through the JSON tree, so that every other field of the data section is kept whatever it holds.
        ObjectNode tree = Json.mapper().valueToTree(manifest);
        ((ObjectNode) tree.get("data")).put("location", location);
        try {
            return Json.mapper().treeToValue(tree, ExperimentManifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot record the data location in the manifest", e);
        }
    }

    /** Trains the epochs of the runs this runner starts or resumes with {@code training} (e.g. on Spark). */
    public ExperimentRunner withDistributedTraining(DistributedTraining training) {
        this.distributed = training;
        return this;
    }

    /** The manifest with the command line's overrides applied: what the run saves as manifest.json. */
    public static ExperimentManifest resolve(ExperimentManifest manifest, RunOptions options) {
        TrainingConfig training = manifest.training();
        if (options.epochs() != null && !options.epochs().more()) {
            training = training.withEpochs(options.epochs().count());
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
        RunEnding.Started started = RunEnding.Started.now();

        // 1. Everything that can be wrong with the inputs fails here, before a run folder exists.
        Inputs inputs = prepareInputs(manifest, options.dataDir(), null);
        TrainingStart start;
        if (options.from() != null) {
            // +N counts from the finished run; a plain --epochs N has already set the manifest's total.
            EpochTarget epochs = options.epochs() != null && options.epochs().more() ? options.epochs()
                    : EpochTarget.total(manifest.training().epochs());
            start = NetworkAssembly.continued(new RunLayout(options.from()).checkpoints(), manifest.training(),
                    manifest.transfer(), epochs);
            // The saved manifest says what the continuation trains: its epochs and the finished run's seed.
            manifest = manifest.withTraining(manifest.training().withEpochs(start.training().epochs())
                    .withSeed(start.training().seed()));
            LOG.info("continuing {} from epoch {} to epoch {}", options.from(), start.state().epochsCompleted(),
                    start.training().epochs());
        } else {
            start = NetworkAssembly.fresh(inputs.model(), inputs.spec(), manifest.training(), manifest.transfer());
        }
        ClassifierNetwork network = start.network();
        LOG.info("{}: {} ({} parameters), {} train / {} validation / {} test images", manifest.name(),
                inputs.model().id(), network.numParams(), inputs.data().train().size(),
                inputs.data().validation() == null ? 0 : inputs.data().validation().size(), inputs.data().test().size());

        manifest = markShortenings(original, withFoundLocation(manifest, inputs.files()));

        // 2. The run folder: manifest and environment first, so even a failed run says what it was.
        RunLayout run = RunLayout.create(options.outRootOrDefault(), manifest.name(), LocalDateTime.now());
        LOG.info("run folder {}", run.path());
        Json.writeFile(run.manifest(), manifest);
        Json.writeFile(run.environment(), distributed == null ? EnvironmentInfo.capture()
                : distributed.environment(EnvironmentInfo.capture()));
        if (inputs.data().dataStatistics() != null) {
            // Normalization and PCA statistics of the training split, reused by evaluate and predict.
            Json.writeFile(run.normalization(), inputs.data().dataStatistics());
        }
        return trainAndFinish(manifest, inputs, start, run, options, started, notComparableReason(manifest));
    }

    /**
     * Continues an interrupted run in its own folder from its last complete checkpoint (or from the start, if it
     * was killed during its first epoch), with the manifest it saved.
     */
    public RunResult resume(Path runFolder, RunOptions options) throws IOException {
        Path manifestFile = runFolder.resolve(RunLayout.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException(runFolder + " is not a run folder: it has no " + RunLayout.MANIFEST);
        }
        ExperimentManifest manifest = new ManifestLoader(null, models, datasets).loadSavedRun(manifestFile);
        if (distributed != null) {
            manifest = distributed.prepare(manifest);
        }
        RunEnding.Started started = RunEnding.Started.now();
        DataStatistics saved = Files.isRegularFile(runFolder.resolve(RunLayout.NORMALIZATION))
                ? Json.readFile(runFolder.resolve(RunLayout.NORMALIZATION), DataStatistics.class) : null;
        Inputs inputs = prepareInputs(manifest, options.dataDir(), saved);
        RunLayout run = new RunLayout(runFolder);
        TrainingStart start = NetworkAssembly.resumed(run.checkpoints(), inputs.model(), inputs.spec(),
                manifest.training(), manifest.transfer());
        if (start.state() != null) {
            LOG.info("resuming {} after epoch {}", runFolder, start.state().epochsCompleted());
        } else {
            LOG.info("{} has no complete checkpoint: starting it again", runFolder);
        }
        return trainAndFinish(manifest, inputs, start, run, options, started,
                notComparableReason(markShortenings(manifest, manifest)));
    }

    /** What a run needs that is validated before anything is written. */
    record Inputs(ClassicModel model, ModelSpec spec, DatasetSource source, DataFiles files, PreparedData data) {
    }

    Inputs prepareInputs(ExperimentManifest manifest, Path dataDir, DataStatistics saved) throws IOException {
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
        List<String> unknown = Checks.unknownClasses(manifest.checks(), data.classNames());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("checks[].class " + unknown + " of manifest '" + manifest.name()
                    + "' are not classes of data set '" + source.id() + "', which has " + data.classNames());
        }
        ModelSpec spec = new ModelSpec(manifest.model().classes(), manifest.model().input(), manifest.training().seed(),
                manifest.model().init());
        return new Inputs(model, spec, source, files, data);
    }

    /** Trains from {@code start} into {@code run}, with DL4J's training UI when {@code options.uiPort()} is set. */
    private RunResult trainAndFinish(ExperimentManifest manifest, Inputs inputs, TrainingStart start, RunLayout run,
                                     RunOptions options, RunEnding.Started started, String notComparable)
            throws IOException {
        if (options.uiPort() == null) {
            return trainAndFinish(manifest, inputs, start, run, options.interactive(), List.of(), started, notComparable);
        }
        // Started before training and stopped when the run is over, whatever its outcome; it refuses to start
        // rather than listen on anything but 127.0.0.1.
        try (TrainingUi ui = TrainingUi.start(options.uiPort())) {
            LOG.info("training UI: {} (this machine only; it stops when the run ends)", ui.url());
            return trainAndFinish(manifest, inputs, start, run, options.interactive(), List.of(ui.listener()), started,
                    notComparable);
        }
    }

    private RunResult trainAndFinish(ExperimentManifest manifest, Inputs inputs, TrainingStart start, RunLayout run,
                                     boolean interactive, List<TrainingListener> listeners, RunEnding.Started started,
                                     String notComparable) throws IOException {
        PreparedData data = inputs.data();
        TrainingConfig training = start.training();
        int batchSize = training.batchSize();
        int k = manifest.evaluation().topK();
        DistributedTraining.SplitEvaluator remote = distributed == null ? null : distributed.evaluator(manifest, data);
        Validator validator = data.validation() == null ? null : net -> {
            SplitMetrics m = remote != null ? remote.evaluate(net, true)
                    : Evaluator.evaluate(net, data.evalIterator(data.validation(), batchSize), data.classNames(), k);
            return new Validator.ValidationResult(m.loss(), m.top1(), m.top5());
        };
        CheckpointStore checkpoints = new CheckpointStore(run.checkpoints(),
                training.keepCheckpoints() == null ? 2 : training.keepCheckpoints());
        writePicture(run, ImageGrid.BATCH_PREVIEW_PNG,
                file -> RunPictures.writeBatchPreview(data, training.seed(), file));
        EpochLog epochLog = new EpochLog(run.epochs());
        Trainer trainer = new Trainer(training, checkpoints, epochLog, interactive, listeners)
                .resumeCommand(resumeCommand(run.path()));
        if (distributed != null) {
            trainer.withEpochFitter(distributed.fitter(manifest, data));
        }
        if (manifest.evaluation().testPerEpoch()) {
            // For the curves of notes that evaluate their test set every epoch; the trainer never chooses with it.
            trainer.withPerEpochTest(net -> {
                SplitMetrics m = Evaluator.evaluate(net, data.evalIterator(data.test(), batchSize), data.classNames(), k);
                return new Validator.ValidationResult(m.loss(), m.top1(), m.top5());
            });
        }
        // Every core for training and evaluation, OpenBLAS by the largest dense layer: a rule of the model, never of
        // the load (measured: docs/PERFORMANCE.md).
        ModelSummary summary = ModelSummary.of(inputs.model(), inputs.spec());
        int threads = FastPath.useThreadsFor(summary.largestDenseWeights());
        int inferenceThreads = FastPath.inferenceThreads();
        LOG.info("training on {} native thread{}, evaluating on {}", threads, threads == 1 ? "" : "s",
                inferenceThreads);
        TrainingOutcome outcome;
        try {
            outcome = trainer.train(start.network(), data.trainIterator(batchSize, training.seed()), validator,
                    start.state());
        } catch (DivergenceException e) {
            LOG.error(e.getMessage());
            return RunEnding.writeStopped(subject(manifest, inputs, epochLog.records().size(), null),
                    RunStatus.DIVERGED, e.getMessage(), started, run);
        }

        // The trained model, then its metrics on test (and validation), then the human-facing files.
        ClassifierNetwork trained = outcome.network();
        // The fitted ND4J normalizer travels inside model.zip (ModelSerializer's normalizer entry): evaluate and plain
        // DL4J code restore it with ModelSerializer.restoreNormalizerFromFile.
        AtomicFiles.write(run.model(), tmp -> {
            trained.save(tmp.toFile(), false);
            if (data.normalizer() != null) {
                ModelSerializer.addNormalizerToModel(tmp.toFile(), data.normalizer());
            }
        });
        writePicture(run, ImageGrid.CONV1_FILTERS_PNG, file -> RunPictures.writeConv1Filters(trained,
                "First-layer filters of " + manifest.name() + " after " + outcome.epochsRun() + " epochs", file));
        RunEnding.Subject subject = subject(manifest, inputs, outcome.epochsRun(), notComparable);
        if (remote != null) {
            SplitMetrics test = remote.evaluate(trained, false);
            SplitMetrics validation = data.validation() == null ? null : remote.evaluate(trained, true);
            return RunEnding.judgeAndWrite(test, validation, subject, RunStatus.COMPLETED, started, run);
        }
        return RunEnding.evaluateAndWrite(trained, data, batchSize, k, subject, RunStatus.COMPLETED, started, run);
    }

    private static RunEnding.Subject subject(ExperimentManifest manifest, Inputs inputs, int epochs, String notComparable) {
        return new RunEnding.Subject(manifest.name(), inputs.model().id(), inputs.source().id(), epochs,
                manifest.documented(), manifest.checks(), notComparable);
    }

    private interface Picture {
        Object draw(Path file) throws IOException;
    }

    /** A picture of the run folder; like the report, a failure to draw it must not lose the run. */
    private static void writePicture(RunLayout run, String name, Picture picture) {
        try {
            picture.draw(run.file(name));
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not draw {} of {}: {}", name, run.path(), e.getMessage());
        }
    }

    /**
     * The command that continues the run in {@code runFolder}, as this process was started: the same jar, or Maven
     * ({@code mvn exec:java}, run from the repository root).
     */
    public static String resumeCommand(Path runFolder) {
        String folder = quoted(runFolder.toAbsolutePath().normalize().toString());
        try {
            Path code = Path.of(ExperimentRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code) && code.getFileName().toString().startsWith("dl4j-classics")) {
                return "java -jar " + quoted(code.toString()) + " run --resume " + folder;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // Unknown origin: the Maven form below works from a checkout.
        }
        return "mvn -q exec:java -Dexec.args=\"run --resume " + folder + "\"   (in "
                + Path.of("").toAbsolutePath() + ")";
    }

    private static String quoted(String path) {
        return path.contains(" ") ? "'" + path + "'" : path;
    }
}
