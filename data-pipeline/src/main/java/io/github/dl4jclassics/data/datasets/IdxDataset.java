package io.github.dl4jclassics.data.datasets;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.Subset;
import io.github.dl4jclassics.data.readers.IdxReader;
import io.github.dl4jclassics.data.readers.IdxRecordReader;
import io.github.dl4jclassics.data.readers.RecordReaderImages;
import java.io.IOException;
import java.util.List;

/** A data set in the four-file MNIST IDX layout: MNIST and Fashion-MNIST (grey, 28x28, 10 classes). */
public final class IdxDataset implements DatasetSource {

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private final String id;
    private final String description;
    private final List<String> classNames;
    private final String howToGet;

    public IdxDataset(String id, String description, List<String> classNames, String howToGet) {
        this.id = id;
        this.description = description;
        this.classNames = classNames;
        this.howToGet = howToGet;
    }

    public static IdxDataset fashionMnist() {
        return new IdxDataset("fashion-mnist", "Fashion-MNIST: 60,000 + 10,000 grey 28x28 images of 10 clothing classes",
                List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                        "Ankle boot"),
                "Get the four *-ubyte.gz files from https://github.com/zalandoresearch/fashion-mnist (data/fashion),"
                        + " or install Debian's package dataset-fashion-mnist, or run `download fashion-mnist`.");
    }

    public static IdxDataset mnist() {
        return new IdxDataset("mnist", "MNIST: 60,000 + 10,000 grey 28x28 handwritten digits",
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                "Get the four *-ubyte.gz files of MNIST (http://yann.lecun.com/exdb/mnist/ or a mirror),"
                        + " or run `download mnist`.");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean isPresent(DataFiles files) {
        return IdxReader.exists(files, TRAIN_IMAGES) && IdxReader.exists(files, TRAIN_LABELS)
                && IdxReader.exists(files, TEST_IMAGES) && IdxReader.exists(files, TEST_LABELS);
    }

    /** Read through {@link IdxRecordReader} and DataVec's {@code RecordReaderDataSetIterator} into the byte store. */
    @Override
    public ImageSet read(DataFiles files, Subset subset, DataConfig config) throws IOException {
        String imagesName = subset == Subset.TRAIN ? TRAIN_IMAGES : TEST_IMAGES;
        String labelsName = subset == Subset.TRAIN ? TRAIN_LABELS : TEST_LABELS;
        IdxRecordReader reader = IdxRecordReader.of(files, imagesName, labelsName, classNames);
        return RecordReaderImages.read(reader, reader.count(), classNames, reader.shape(),
                RecordReaderImages.ChannelOrder.RGB, Long.MAX_VALUE, id + " " + subset.name().toLowerCase() + " (" + files + ")");
    }

    @Override
    public List<String> expectedFiles() {
        return List.of(TRAIN_IMAGES + ".gz", TRAIN_LABELS + ".gz", TEST_IMAGES + ".gz", TEST_LABELS + ".gz");
    }

    @Override
    public String howToGet() {
        return howToGet;
    }
}
