package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.common.AtomicFiles;
import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.common.RunLayout;
import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataLocator;
import io.github.dl4jclassics.data.DataPipeline;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.PrepareOptions;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.transforms.DataStatistics;
import io.github.dl4jclassics.evaluation.RunEnding;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.RunStatus;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code evaluate RUN_DIR_OR_MODEL}: evaluates a saved model.zip on its data set with the normalizer saved inside it
 * (an ND4J {@code NormalizerStandardize}; older runs: normalization.json beside it) and the data recipe of the
 * manifest.json beside it, and writes the outputs of a run into a new folder:
 * result.json (status "EVALUATED"), the confusion CSVs, the charts and report.html/report.md.
 *
 * <p>The data are prepared exactly as the run prepared them (same manifest data section, same validation split seed,
 * the saved normalizer, the run's batch size), so evaluating a run's model.zip reproduces its
 * result.json test metrics exactly.
 */
public final class ModelEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEvaluation.class);

    private ModelEvaluation() {
    }

    /**
     * @param dataDir   where the data set's files are (null: the manifest's location, then the usual search path)
     * @param limitTest evaluate only the first N test images (null for all); the run's own numbers need null
     * @param cacheDir  the data pipeline's cache (null for none)
     */
    public record Options(Path dataDir, Integer limitTest, Path cacheDir) {
        public static Options defaults() {
            return new Options(null, null, PrepareOptions.defaults().cacheDir());
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, limitTest, cacheDir);
        }
    }

    /**
     * Evaluates the model and writes every output into {@code outDir} (created; must not be the run folder itself,
     * whose result.json would be overwritten).
     *
     * @param runDirOrModel a run folder holding model.zip, or a model.zip with manifest.json beside it
     */
    public static RunResult evaluate(Path runDirOrModel, Path outDir, Options options) throws IOException {
        Path model = Files.isDirectory(runDirOrModel) ? runDirOrModel.resolve(RunLayout.MODEL) : runDirOrModel;
        if (!Files.isRegularFile(model)) {
            throw new IOException("cannot evaluate " + runDirOrModel + ": no model file "
                    + (Files.isDirectory(runDirOrModel) ? model.getFileName() + " in it" : "there"));
        }
        Path folder = model.toAbsolutePath().getParent();
        if (outDir.toAbsolutePath().normalize().equals(folder.normalize())) {
            throw new IllegalArgumentException("evaluate would overwrite the run's own result.json in " + folder
                    + "; choose another output folder");
        }
        Path manifestFile = folder.resolve(RunLayout.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException("cannot evaluate " + model + ": no " + RunLayout.MANIFEST + " beside it (the data recipe "
                    + "and model.input come from the run's manifest)");
        }
        // The run's own manifest, read as resume reads it: the data recipe, the input, the documented values.
        ExperimentManifest manifest = new ManifestLoader(null).loadSavedRun(manifestFile);
        DataConfig dataConfig = manifest.data();
        // A shortened run (--epochs, --limit-*) saved how; its model is not judged against the full recipe's values.
        String shortened = manifest.shortenings().isEmpty() ? null
                : "shortened run (" + String.join(", ", manifest.shortenings()) + ")";

        Path normalizationFile = folder.resolve(RunLayout.NORMALIZATION);
        DataStatistics saved = null;
        if (Files.isRegularFile(normalizationFile)) {
            try {
                com.fasterxml.jackson.databind.JsonNode tree = Json.mapper().readTree(normalizationFile.toFile());
                // Runs before the PCA statistics existed saved the normalization alone: {mean, std}.
                saved = tree.has("mean") ? new DataStatistics(Json.mapper().treeToValue(tree,
                        io.github.dl4jclassics.data.transforms.ChannelStatistics.class), null)
                        : Json.mapper().treeToValue(tree, DataStatistics.class);
            } catch (IOException e) {
                throw new IOException("cannot read " + normalizationFile + " as {normalization: {mean, std}, pca: {...}}: "
                        + e.getMessage(), e);
            }
        }
        // The normalizer the run fitted, saved inside model.zip; runs from before it was saved there use the
        // statistics of normalization.json (or, without that file, recompute them from the training split).
        DataNormalization normalizer = restoreNormalizer(model);
        if (normalizer == null && saved == null) {
            LOG.warn("no normalizer in {} and no {} beside it: normalization statistics (if the recipe needs them) are"
                    + " recomputed from the training split", model, RunLayout.NORMALIZATION);
        }

        RunEnding.Started started = RunEnding.Started.now();
        DatasetSource source = DatasetRegistry.standard().get(dataConfig.dataset());
        DataFiles files = new DataLocator(options.dataDir()).locate(source, dataConfig.location());
        LOG.info("evaluating {} on {} from {}", model, source.id(), files);
        PrepareOptions prepare = PrepareOptions.defaults().withCacheDir(options.cacheDir())
                .withLimits(null, options.limitTest())
                .withSaved(saved)
                .withSavedNormalizer(normalizer);
        PreparedData data = DataPipeline.prepare(source, files, dataConfig, manifest.model().input(), prepare);
        ClassifierNetwork network = ClassifierNetwork.load(model.toFile(), false);

        Path epochsFile = folder.resolve(RunLayout.EPOCHS);
        List<EpochRecord> epochs = Files.isRegularFile(epochsFile) ? EpochRecord.readCsv(epochsFile) : List.of();
        Files.createDirectories(outDir);
        // The recipe and the training history travel with the evaluation, so its report is complete on its own.
        for (Path file : List.of(manifestFile, normalizationFile, epochsFile)) {
            if (Files.isRegularFile(file)) {
                AtomicFiles.write(outDir.resolve(file.getFileName()),
                        tmp -> Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING));
            }
        }
        RunEnding.Subject subject = new RunEnding.Subject(manifest.name(), manifest.model().id(), source.id(),
                epochs.size(), manifest.documented(), manifest.checks(), shortened);
        return RunEnding.evaluateAndWrite(network, data, manifest.training().batchSize(), manifest.evaluation().topK(),
                subject, RunStatus.EVALUATED, started, new RunLayout(outDir));
    }

    /** The ND4J normalizer stored in a model.zip by {@code ModelSerializer.addNormalizerToModel}, or null. */
    public static DataNormalization restoreNormalizer(Path model) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(model.toFile())) {
            if (zip.getEntry(ModelSerializer.NORMALIZER_BIN) == null) {
                return null;
            }
        } catch (java.util.zip.ZipException e) {
            // A copy cut short or a disk that filled up: name the file, as ClassifierNetwork.restore does.
            throw new IOException(model + " is damaged or truncated (" + e.getMessage() + "), not a readable model zip ("
                    + model.toFile().length() + " bytes)", e);
        }
        Object normalizer;
        try {
            normalizer = ModelSerializer.restoreNormalizerFromFile(model.toFile());
        } catch (Exception e) {
            throw new IOException("cannot read the normalizer saved in " + model + ": " + e.getMessage(), e);
        }
        if (!(normalizer instanceof DataNormalization dataNormalization)) {
            throw new IOException(model + " holds a normalizer of type "
                    + (normalizer == null ? "none" : normalizer.getClass().getName())
                    + ", expected an ND4J DataNormalization (e.g. NormalizerStandardize)");
        }
        return dataNormalization;
    }
}
