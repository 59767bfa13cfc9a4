package io.github.dl4jclassics.data.iterators;

import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.TrainValidationSplit;
import io.github.dl4jclassics.data.transforms.Batch;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.Mixup;
import io.github.dl4jclassics.data.transforms.MixupPreProcessor;
import io.github.dl4jclassics.data.transforms.Normalize;
import io.github.dl4jclassics.common.InputShape;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batches of an {@link ImageSet} with its transforms applied, as a DL4J {@link DataSetIterator}: the decoded-image
 * cache's counterpart of DataVec's {@code RecordReaderDataSetIterator} (the images were read through one, once).
 * Per batch: the per-image steps on the pixel arrays (random crop, horizontal flip, PCA colour, grey-to-RGB), then the
 * ND4J {@link DataNormalization} (the one saved in model.zip; a {@link NormalizerStandardize} is applied on the arrays
 * with its own mean and std, any other through {@code preProcess}), then mixup (the draws and arithmetic of
 * {@link MixupPreProcessor}, also on the arrays), then any pre-processor set by the caller. Mixup is linear, so mixing
 * normalized images equals normalizing mixed ones.
 *
 * <p>With shuffling, epoch {@code e} visits the examples in the permutation seeded by {@code seed + e}, and
 * batch {@code b} of that epoch draws its augmentation randomness from a generator seeded by
 * {@code (seed, e, b)}, so any epoch and batch can be reproduced (and a run resumed) from the position alone.
 */
public final class ImageSetIterator implements DataSetIterator {

    private final ImageSet images;
    private final int batchSize;
    private final List<BatchTransform> transforms;
    private final MixupPreProcessor mixup;
    private final DataNormalization normalizer;
    private final float[] standardizeMean;
    private final float[] standardizeStd;
    private final boolean shuffle;
    private final long seed;
    private final InputShape outputShape;
    private int epoch;
    private int[] order;
    private int cursor;
    private int batchIndex;
    private DataSetPreProcessor preProcessor;

    /**
     * @param transforms the recipe's steps; a {@link Normalize} among them must have its statistics (or use the other
     *                   constructor with the normalizer)
     */
    public ImageSetIterator(ImageSet images, int batchSize, List<BatchTransform> transforms, boolean shuffle, long seed) {
        this(images, batchSize, transforms, null, shuffle, seed);
    }

    /**
     * @param transforms per-image steps and mixup; a {@link Normalize} step with explicit statistics is turned into its
     *                   {@link DataNormalization}, one without statistics needs {@code normalizer}
     * @param normalizer applied to every batch after the other steps (null: none, or the one of a Normalize step)
     */
    public ImageSetIterator(ImageSet images, int batchSize, List<BatchTransform> transforms,
                            DataNormalization normalizer, boolean shuffle, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.images = images;
        this.batchSize = batchSize;
        List<BatchTransform> sorted = transforms.stream()
                .sorted(java.util.Comparator.comparingInt(BatchTransform::order)).toList();
        this.transforms = sorted.stream().filter(t -> !t.batchLevel()).toList();
        this.mixup = sorted.stream().filter(Mixup.class::isInstance).map(Mixup.class::cast).findFirst()
                .map(m -> m.preProcessor(new Random(seed))).orElse(null);
        InputShape shape = images.shape();
        for (BatchTransform transform : this.transforms) {
            shape = transform.outputShape(shape);
        }
        this.outputShape = shape;
        Normalize normalize = sorted.stream().filter(Normalize.class::isInstance).map(Normalize.class::cast)
                .findFirst().orElse(null);
        if (normalizer == null && normalize != null) {
            if (normalize.needsStatistics()) {
                throw new IllegalArgumentException("normalize has no statistics: pass the fitted normalizer");
            }
            normalizer = Normalize.normalizer(normalize.given(), shape.channels());
        }
        this.normalizer = normalizer;
        // A NormalizerStandardize (what the recipes use) is applied on the batch arrays with its own mean and std:
        // ND4J ops on the loader thread would compete for the cores with training (OpenMP regions stall under load).
        if (normalizer instanceof NormalizerStandardize standardize && !standardize.isFitLabel()) {
            this.standardizeMean = standardize.getMean().toFloatVector();
            this.standardizeStd = standardize.getStd().toFloatVector();
            if (standardizeMean.length != shape.channels()) {
                throw new IllegalArgumentException("the normalizer has " + standardizeMean.length
                        + " channels, batches have " + shape.channels());
            }
        } else {
            this.standardizeMean = null;
            this.standardizeStd = null;
        }
        this.shuffle = shuffle;
        this.seed = seed;
        startEpoch(0);
    }

    /** Positions the iterator at the start of {@code epochIndex} (0-based), e.g. when resuming. */
    public void startEpoch(int epochIndex) {
        this.epoch = epochIndex;
        this.order = shuffle ? TrainValidationSplit.permutation(images.size(), seed + epochIndex) : null;
        this.cursor = 0;
        this.batchIndex = 0;
    }

    /** Skips {@code batches} batches of the current epoch without preparing them (resuming mid-epoch). */
    public void skipBatches(int batches) {
        cursor = Math.min(images.size(), cursor + batches * batchSize);
        batchIndex += batches;
    }

    public int epoch() {
        return epoch;
    }

    public int batchIndex() {
        return batchIndex;
    }

    public int batchesPerEpoch() {
        return (images.size() + batchSize - 1) / batchSize;
    }

    public ImageSet images() {
        return images;
    }

    public InputShape outputShape() {
        return outputShape;
    }

    /** True when a transform (mixup) makes soft labels, so batch accuracy is meaningless. */
    public boolean hasMixedLabels() {
        return mixup != null;
    }

    /** The normalization applied to every batch (null: none). */
    public DataNormalization normalizer() {
        return normalizer;
    }

    @Override
    public boolean hasNext() {
        return cursor < images.size();
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("epoch " + epoch + " has no more batches");
        }
        int count = Math.min(num, images.size() - cursor);
        InputShape shape = images.shape();
        int classes = images.numClasses();
        float[] features = new float[count * shape.size()];
        float[] labels = new float[count * classes];
        for (int i = 0; i < count; i++) {
            int index = order != null ? order[cursor + i] : cursor + i;
            images.copyImage(index, features, i * shape.size());
            labels[i * classes + images.label(index)] = 1f;
        }
        Batch batch = new Batch(features, shape, labels, count, classes);
        Random random = new Random(mix(seed, epoch, batchIndex));
        for (BatchTransform transform : transforms) {
            transform.apply(batch, random);
        }
        if (standardizeMean != null) {
            standardize(batch);
        }
        if (mixup != null) {
            // MixupPreProcessor's draws and arithmetic, on the arrays before they become INDArrays (faster), with the
            // batch's own generator after the per-image steps drew from it: reproducible from the position alone.
            MixupPreProcessor.Draw draw = mixup.draw(random, count);
            MixupPreProcessor.mix(batch.features(), count, batch.shape().size(), draw.lambda(), draw.permutation());
            MixupPreProcessor.mix(batch.labels(), count, classes, draw.lambda(), draw.permutation());
        }
        cursor += count;
        batchIndex++;
        InputShape out = batch.shape();
        DataSet dataSet = new DataSet(
                Nd4j.create(batch.features(), new long[]{count, out.channels(), out.height(), out.width()}, 'c'),
                Nd4j.create(batch.labels(), new long[]{count, classes}, 'c'));
        if (normalizer != null && standardizeMean == null) {
            normalizer.preProcess(dataSet);
        }
        if (preProcessor != null) {
            preProcessor.preProcess(dataSet);
        }
        return dataSet;
    }

    /** NormalizerStandardize's {@code (x - mean) / std} per channel, on the batch before it becomes an INDArray. */
    private void standardize(Batch batch) {
        float[] x = batch.features();
        int channels = batch.shape().channels();
        int plane = batch.shape().height() * batch.shape().width();
        for (int n = 0; n < batch.count(); n++) {
            for (int c = 0; c < channels; c++) {
                float mean = standardizeMean[c];
                float inverse = 1f / standardizeStd[c]; // a multiply per value instead of a divide (within 1 ulp)
                for (int i = (n * channels + c) * plane, end = i + plane; i < end; i++) {
                    x[i] = (x[i] - mean) * inverse;
                }
            }
        }
    }

    private static long mix(long seed, int epoch, int batch) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch;
        h = h * 0xBF58476D1CE4E5B9L + batch;
        return h ^ (h >>> 31);
    }

    @Override
    public int inputColumns() {
        return outputShape.size();
    }

    @Override
    public int totalOutcomes() {
        return images.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Starts the next epoch (a new permutation when shuffling). */
    @Override
    public void reset() {
        startEpoch(cursor == 0 && batchIndex == 0 ? epoch : epoch + 1);
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return images.classNames();
    }
}
