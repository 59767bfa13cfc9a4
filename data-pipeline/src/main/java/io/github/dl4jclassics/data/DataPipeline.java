package io.github.dl4jclassics.data;

import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.ChannelStatistics;
import io.github.dl4jclassics.data.transforms.DataStatistics;
import io.github.dl4jclassics.data.transforms.Normalize;
import io.github.dl4jclassics.data.transforms.PcaColour;
import io.github.dl4jclassics.data.transforms.PcaEigen;
import io.github.dl4jclassics.data.transforms.Resize;
import io.github.dl4jclassics.common.InputShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates a data set (through DataVec record readers, see {@link DatasetSource}), resizes it once, splits
 * it, computes the statistics the transforms need from the training split only (or reuses saved ones), builds the ND4J
 * normalizer of the recipe, and checks that batches will have the model's input shape,
 * all before any training starts. Nothing is written anywhere but the cache directory, and only after the
 * files were read and validated.
 */
public final class DataPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(DataPipeline.class);

    private DataPipeline() {
    }

    public static PreparedData prepare(DatasetSource source, DataFiles files, DataConfig config, InputShape modelInput,
                                       PrepareOptions requested) throws IOException {
        // Limits recorded in the manifest apply unless the caller gives its own.
        PrepareOptions options = requested.withLimits(
                requested.limitTrain() != null ? requested.limitTrain() : config.limitTrain(),
                requested.limitTest() != null ? requested.limitTest() : config.limitTest());
        List<BatchTransform> sorted = new ArrayList<>(config.transforms());
        sorted.sort(Comparator.comparingInt(BatchTransform::order));
        Resize resize = sorted.stream().filter(Resize.class::isInstance).map(Resize.class::cast)
                .map(r -> r.to(modelInput)).findFirst().orElse(null);
        LoadOptions load = new LoadOptions(
                resize == null ? null : new InputShape(modelInput.channels(), resize.outHeight(), resize.outWidth()),
                options.cacheDir(), options.memoryBudget());

        // Read and validate both subsets before anything else (and before anything is written).
        ImageSet trainFiles = source.read(files, Subset.TRAIN, config, load);
        ImageSet test = source.read(files, Subset.TEST, config, load);
        if (!trainFiles.classNames().equals(test.classNames())) {
            throw new DataFormatException(source.id() + ": the training files have classes " + trainFiles.classNames()
                    + " but the test files have " + test.classNames());
        }
        SplitConfig split = config.split();
        if (options.limitTrain() != null) {
            int full = trainFiles.size();
            trainFiles = trainFiles.limit(options.limitTrain());
            // A quick trial (--limit-train 2000) keeps the validation share of the full recipe (5000 of 60000).
            split = split == null ? null : split.limitedTo(trainFiles.size(), full);
        }
        if (options.limitTest() != null) {
            test = test.limit(options.limitTest());
        }
        String fingerprint = null;
        if (resize != null && !isSize(trainFiles.shape(), resize) || resize != null && !isSize(test.shape(), resize)) {
            fingerprint = source.fingerprint(files);
            String base = source.id() + "|" + fingerprint + "|" + config.labels();
            trainFiles = resize.apply(trainFiles, options.cacheDir(), options.memoryBudget(),
                    base + "|train|" + options.limitTrain(), origin(source, files, "train", options.limitTrain()));
            test = resize.apply(test, options.cacheDir(), options.memoryBudget(), base + "|test|" + options.limitTest(),
                    origin(source, files, "test", options.limitTest()));
        }
        ImageSet train = trainFiles;
        ImageSet validation = null;
        if (split != null) {
            TrainValidationSplit.Parts parts = TrainValidationSplit.split(trainFiles, split);
            train = parts.train();
            validation = parts.validation();
        }

        Normalize normalize = sorted.stream().filter(Normalize.class::isInstance).map(Normalize.class::cast)
                .findFirst().orElse(null);
        // A model's own normalizer (from its model.zip) makes the training split's statistics unnecessary.
        boolean needNormalization = normalize != null && normalize.needsStatistics() && options.savedNormalizer() == null;
        boolean needPca = sorted.stream().anyMatch(t -> t instanceof PcaColour p && p.needsEigen());
        DataStatistics statistics = DataStatistics.NONE;
        if (needNormalization || needPca) {
            if (fingerprint == null) {
                fingerprint = source.fingerprint(files);
            }
            String key = Fingerprints.sha256(source.id() + "|" + fingerprint + "|" + config.labels() + "|limit="
                    + options.limitTrain() + "|split=" + split + "|shape=" + train.shape()
                    // v2: image folders are decoded by OpenCV (DataVec ImageRecordReader), whose pixels differ slightly from ImageIO's
                    + "|stats-v2"
                    + (normalize != null && !Normalize.PER_PIXEL.equals(normalize.statisticsOrDefault())
                    ? "|" + normalize.statisticsOrDefault() : ""));
            statistics = statistics(source.id(), key, train, needNormalization,
                    normalize == null ? Normalize.PER_PIXEL : normalize.statisticsOrDefault(), needPca, options);
        }

        List<BatchTransform> bound = new ArrayList<>();
        for (BatchTransform transform : sorted) {
            if (transform instanceof Resize) {
                continue; // applied once above, to the stored images
            } else if (transform instanceof Normalize) {
                continue; // the ND4J normalizer below, applied to whole batches
            } else if (transform instanceof PcaColour pca && pca.needsEigen()) {
                bound.add(pca.withEigen(statistics.pca()));
            } else {
                bound.add(transform);
            }
        }
        InputShape shape = train.shape();
        for (BatchTransform transform : bound) {
            shape = transform.outputShape(shape);
        }
        if (!shape.equals(modelInput)) {
            throw new IllegalArgumentException("data set '" + source.id() + "' gives images of " + shape
                    + " after its transforms, but the model expects " + modelInput
                    + "; set model.input to " + shape + " or add transforms (resize, grey-to-rgb) to data.transforms");
        }
        List<BatchTransform> eval = new ArrayList<>();
        for (BatchTransform transform : bound) {
            BatchTransform counterpart = transform.forEvaluation();
            if (counterpart != null) {
                eval.add(counterpart);
            }
        }
        InputShape evalShape = train.shape();
        for (BatchTransform transform : eval) {
            evalShape = transform.outputShape(evalShape);
        }
        if (!evalShape.equals(modelInput)) {
            throw new IllegalStateException("evaluation transforms give " + evalShape + ", training ones " + modelInput);
        }
        DataNormalization normalizer = null;
        if (options.savedNormalizer() != null) {
            normalizer = options.savedNormalizer();
        } else if (normalize != null) {
            ChannelStatistics given = normalize.needsStatistics() ? statistics.normalization() : normalize.given();
            normalizer = Normalize.normalizer(given, modelInput.channels());
        }
        return new PreparedData(source.id(), train, validation, test, train.classNames(), statistics,
                List.copyOf(bound), List.copyOf(eval), normalizer);
    }

    /** What a resized cache file holds, for {@code cache}; taken only when a file is written. */
    private static java.util.function.Supplier<CacheOrigin> origin(DatasetSource source, DataFiles files, String subset,
                                                                   Integer limit) {
        return () -> CacheOrigin.of(source.id(), files, limit == null ? subset : subset + ", first " + limit);
    }

    private static boolean isSize(InputShape shape, Resize resize) {
        return shape.height() == resize.outHeight() && shape.width() == resize.outWidth();
    }

    /** Saved statistics, else cached ones for this key, else computed from {@code train} (and cached). */
    private static DataStatistics statistics(String datasetId, String key, ImageSet train, boolean needNormalization,
                                             String method, boolean needPca, PrepareOptions options) throws IOException {
        DataStatistics saved = options.saved() == null ? DataStatistics.NONE : options.saved();
        ChannelStatistics normalization = saved.normalization();
        PcaEigen pca = saved.pca();
        boolean complete = (!needNormalization || normalization != null) && (!needPca || pca != null);
        if (complete) {
            LOG.info("using saved statistics for {}", datasetId);
            return new DataStatistics(needNormalization ? normalization : null, needPca ? pca : null);
        }
        Path cacheFile = options.cacheDir() == null ? null
                : options.cacheDir().resolve("statistics").resolve(datasetId + "-" + key.substring(0, 24) + ".json");
        if (cacheFile != null && Files.isRegularFile(cacheFile)) {
            try {
                CachedStatistics cached = Json.readFile(cacheFile, CachedStatistics.class);
                if (key.equals(cached.key())) {
                    DataCache.markUsed(cacheFile);
                    normalization = normalization != null ? normalization : cached.statistics().normalization();
                    pca = pca != null ? pca : cached.statistics().pca();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("ignoring unreadable statistics cache {}: {}", cacheFile, e.getMessage());
            }
        }
        boolean computed = false;
        if (needNormalization && normalization == null) {
            normalization = ChannelStatistics.compute(train, method);
            computed = true;
            LOG.info("normalization statistics ({}) of {} ({} images): mean {} std {}", method, datasetId, train.size(),
                    Arrays.toString(normalization.mean()), Arrays.toString(normalization.std()));
        }
        if (needPca && pca == null) {
            pca = PcaEigen.compute(train);
            computed = true;
            LOG.info("PCA colour eigenvalues of {}: {}", datasetId, Arrays.toString(pca.eigenvalues()));
        }
        DataStatistics result = new DataStatistics(needNormalization ? normalization : null, needPca ? pca : null);
        if (computed && cacheFile != null) {
            try {
                Json.writeFile(cacheFile, new CachedStatistics(key, train.description(), new DataStatistics(normalization, pca)));
            } catch (IOException e) {
                LOG.warn("could not cache statistics in {}: {}", cacheFile, e.getMessage());
            }
        }
        return result;
    }

    /** The JSON file of the statistics cache. */
    public record CachedStatistics(String key, String source, DataStatistics statistics) {
    }
}
