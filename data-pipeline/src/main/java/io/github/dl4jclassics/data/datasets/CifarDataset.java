package io.github.dl4jclassics.data.datasets;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.Subset;
import io.github.dl4jclassics.data.readers.CifarReader;
import io.github.dl4jclassics.data.readers.CifarRecordReader;
import io.github.dl4jclassics.data.readers.RecordReaderImages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10 and CIFAR-100 in their binary versions, read from the extracted folder, its files, or the official
 * {@code .tar.gz}. CIFAR-100 gives its 100 fine labels, or its 20 coarse ones with {@code "labels": "coarse"}.
 */
public final class CifarDataset implements DatasetSource {

    private final String id;
    private final CifarReader.Layout layout;
    private final List<String> trainMembers;
    private final List<String> testMembers;

    private CifarDataset(String id, CifarReader.Layout layout, List<String> trainMembers, List<String> testMembers) {
        this.id = id;
        this.layout = layout;
        this.trainMembers = trainMembers;
        this.testMembers = testMembers;
    }

    public static CifarDataset cifar10() {
        return new CifarDataset("cifar10", CifarReader.Layout.CIFAR10,
                List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
                List.of("test_batch.bin"));
    }

    public static CifarDataset cifar100() {
        return new CifarDataset("cifar100", CifarReader.Layout.CIFAR100, List.of("train.bin"), List.of("test.bin"));
    }

    private boolean isCifar10() {
        return layout.labelBytes() == 1;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return isCifar10() ? "CIFAR-10: 50,000 + 10,000 colour 32x32 images of 10 classes"
                : "CIFAR-100: 50,000 + 10,000 colour 32x32 images of 100 classes (20 superclasses)";
    }

    @Override
    public boolean isPresent(DataFiles files) {
        return CifarReader.find(files, layout, testMembers.get(0)) != null;
    }

    @Override
    public ImageSet read(DataFiles files, Subset subset, DataConfig config) throws IOException {
        CifarReader.Source source = CifarReader.find(files, layout, testMembers.get(0));
        if (source == null) {
            throw new DataFormatException("no " + id + " files in " + files + ": expected " + String.join(" or ", expectedFiles()));
        }
        if (isCifar10() && config.labels() != null && !config.labels().equals("fine")) {
            throw new IllegalArgumentException("data.labels \"" + config.labels() + "\" applies to CIFAR-100 only");
        }
        List<String> members = subset == Subset.TRAIN ? trainMembers : testMembers;
        String namesFile = isCifar10() ? "batches.meta.txt"
                : config.coarseLabels() ? "coarse_label_names.txt" : "fine_label_names.txt";
        int numClasses = isCifar10() ? 10 : config.coarseLabels() ? 20 : 100;
        // CIFAR-100 records hold the coarse label first, then the fine one.
        int labelIndex = isCifar10() || config.coarseLabels() ? 0 : 1;
        List<String> wanted = new ArrayList<>(members);
        wanted.add(namesFile);
        Map<String, byte[]> contents = source.readAll(wanted);
        List<String> classNames = CifarReader.parseNames(source, contents, namesFile, numClasses);
        // Through a DataVec record reader and RecordReaderDataSetIterator, like every data set; CIFAR is RGB.
        CifarRecordReader reader = CifarRecordReader.of(source, layout, contents, members, labelIndex, classNames);
        String what = isCifar10() ? "" : config.coarseLabels() ? " coarse" : " fine";
        return RecordReaderImages.read(reader, reader.count(), classNames, reader.shape(),
                RecordReaderImages.ChannelOrder.RGB, Long.MAX_VALUE,
                id + what + " " + subset.name().toLowerCase() + " (" + source.describe(String.join(",", members)) + ")");
    }

    @Override
    public List<String> expectedFiles() {
        List<String> expected = new ArrayList<>();
        expected.add(layout.archive());
        expected.add(layout.folder() + "/ with " + String.join(", ", trainMembers) + ", " + String.join(", ", testMembers)
                + (isCifar10() ? ", batches.meta.txt" : ", fine_label_names.txt, coarse_label_names.txt"));
        return expected;
    }

    @Override
    public String howToGet() {
        return "Get the binary version (" + layout.archive() + ") from https://www.cs.toronto.edu/~kriz/cifar.html"
                + " (the Python and MATLAB versions are not read), or run `download " + id + "`.";
    }
}
