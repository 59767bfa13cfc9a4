package io.github.dl4jclassics.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.data.readers.RecordReaderImages;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.records.reader.impl.collection.CollectionRecordReader;
import org.datavec.api.writable.Writable;
import org.datavec.image.recordreader.ImageRecordReader;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.FileBatch;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns one packed {@link FileBatch} zip into a prepared minibatch on a Spark executor, the way a one-machine run
 * prepares a batch: the files are decoded by DataVec's {@link ImageRecordReader} (OpenCV, as the one-machine reader
 * decodes image folders; BGR turned into RGB) at the stored-image size, then {@link ImageSetIterator} applies the
 * recipe's per-image steps, the fitted normalization and mixup.
 *
 * <p>Only serializable settings travel to the executors (DataVec's {@code ImageTransform}s and readers are not
 * {@code Serializable}): the recipe's bound transforms as the manifest's JSON, the class names, the normalizer's mean
 * and std, the seed, the epoch and whether the batch is for training. The reader and the transforms are built on the
 * executor. Every task gets a copy of this loader with the same state, so a batch's randomness comes from
 * {@code (seed, epoch, batch file name)} alone ({@link #batchSeed}): it differs per batch and epoch and repeats
 * per run, wherever the batch is loaded.
 */
public final class PackedBatchLoader implements DataSetLoader {

    private static final long serialVersionUID = 1L;
    private static final TypeReference<List<BatchTransform>> TRANSFORMS = new TypeReference<>() {
    };

    private final String transformsJson;
    private final ArrayList<String> classNames;
    private final int channels;
    private final int height;
    private final int width;
    private final float[] mean;
    private final float[] std;
    private final long seed;
    private final int epoch;
    private final boolean training;
    private final boolean indexFolders;
    private transient List<BatchTransform> transforms;

    /**
     * @param transforms the bound transforms ({@code PreparedData.trainTransforms()} or {@code evalTransforms()})
     * @param stored     the shape images are decoded to (the stored images of the one-machine run)
     * @param normalizer null or a {@link NormalizerStandardize} (what the recipes' normalize step fits)
     */
    public PackedBatchLoader(List<BatchTransform> transforms, List<String> classNames, InputShape stored,
                             DataNormalization normalizer, long seed, int epoch, boolean training) {
        this(transforms, classNames, stored, normalizer, seed, epoch, training, false);
    }

    /**
     * @param indexFolders true when the packed files' parent folders are class indices ({@code png} packing, whose
     *                     class names may hold a '/', e.g. Fashion-MNIST's "T-shirt/top"), false for class names
     */
    public PackedBatchLoader(List<BatchTransform> transforms, List<String> classNames, InputShape stored,
                             DataNormalization normalizer, long seed, int epoch, boolean training, boolean indexFolders) {
        try {
            this.transformsJson = Json.mapper().writerFor(TRANSFORMS).writeValueAsString(transforms);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the data recipe's transforms cannot be written as JSON", e);
        }
        this.classNames = new ArrayList<>(classNames);
        this.channels = stored.channels();
        this.height = stored.height();
        this.width = stored.width();
        if (normalizer == null) {
            this.mean = null;
            this.std = null;
        } else if (normalizer instanceof NormalizerStandardize standardize && !standardize.isFitLabel()) {
            this.mean = standardize.getMean().castTo(DataType.FLOAT).toFloatVector();
            this.std = standardize.getStd().castTo(DataType.FLOAT).toFloatVector();
        } else {
            throw new IllegalArgumentException("executor-read data supports a NormalizerStandardize (the recipes'"
                    + " normalize step), not " + normalizer.getClass().getSimpleName());
        }
        this.seed = seed;
        this.epoch = epoch;
        this.training = training;
        this.indexFolders = indexFolders;
    }

    private PackedBatchLoader(PackedBatchLoader other, int epoch) {
        this.transformsJson = other.transformsJson;
        this.classNames = other.classNames;
        this.channels = other.channels;
        this.height = other.height;
        this.width = other.width;
        this.mean = other.mean;
        this.std = other.std;
        this.seed = other.seed;
        this.epoch = epoch;
        this.training = other.training;
        this.indexFolders = other.indexFolders;
    }

    /** The same loader for another epoch. */
    public PackedBatchLoader forEpoch(int newEpoch) {
        return new PackedBatchLoader(this, newEpoch);
    }

    @Override
    public DataSet load(Source source) throws IOException {
        FileBatch batch;
        try (InputStream in = source.getInputStream()) {
            batch = FileBatch.readFromZip(in);
        }
        return prepare(batch, batchName(source.getPath()));
    }

    /** The minibatch of {@code batch}, whose file is named {@code name} (e.g. {@code train/batch-000012.zip}). */
    public DataSet prepare(FileBatch batch, String name) {
        ImageSet images = decode(batch, name);
        ImageSetIterator prepared = new ImageSetIterator(images, images.size(), transforms(), normalizer(), false,
                batchSeed(seed, name));
        prepared.startEpoch(epoch);
        return prepared.next();
    }

    /** The images of {@code batch}, decoded as the one-machine image-folder reader decodes files, labels by folder. */
    public ImageSet decode(FileBatch batch, String name) {
        InputShape shape = new InputShape(channels, height, width);
        ImageRecordReader reader = new ImageRecordReader(height, width, channels, new ParentPathLabelGenerator());
        // Never initialized on an executor: the class indices come from the run's class names.
        reader.setLabels(indexFolders
                ? java.util.stream.IntStream.range(0, classNames.size()).mapToObj(String::valueOf).toList() : classNames);
        List<List<Writable>> records = new ArrayList<>(batch.getFileBytes().size());
        for (int i = 0; i < batch.getFileBytes().size(); i++) {
            URI uri = URI.create(batch.getOriginalUris().get(i));
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(batch.getFileBytes().get(i)))) {
                records.add(reader.record(uri, in));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(name + ": cannot decode " + uri + " (" + e.getMessage() + ")", e);
            }
        }
        return RecordReaderImages.read(new CollectionRecordReader(records), records.size(), classNames, shape,
                RecordReaderImages.ChannelOrder.BGR, Long.MAX_VALUE, name);
    }

    private List<BatchTransform> transforms() {
        if (transforms == null) {
            try {
                transforms = Json.mapper().readValue(transformsJson, TRANSFORMS);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the data recipe's transforms " + transformsJson, e);
            }
        }
        return transforms;
    }

    private DataNormalization normalizer() {
        if (mean == null) {
            return null;
        }
        return new NormalizerStandardize(Nd4j.create(mean, new long[]{1, mean.length}, 'c'),
                Nd4j.create(std, new long[]{1, std.length}, 'c'));
    }

    /** The last two segments of a path ({@code train/batch-000012.zip}): the same wherever the packed data live. */
    public static String batchName(String path) {
        String[] parts = path.replace('\\', '/').split("/");
        return parts.length < 2 ? path : parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    /** The seed of a batch's augmentation and mixup: a hash of the run's seed and the batch's name. */
    public static long batchSeed(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        return h ^ (h >>> 29);
    }

    public boolean training() {
        return training;
    }

    public int epoch() {
        return epoch;
    }
}
