package io.github.dl4jclassics.data.readers;

import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.common.InputShape;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.datavec.api.split.InputSplit;

/**
 * DataVec record reader of an MNIST-format IDX pair (images {@code *-images-idx3-ubyte[.gz]} and labels
 * {@code *-labels-idx1-ubyte[.gz]}), which DataVec has no offline reader for. Records are
 * {@code [NDArrayWritable (1, 1, rows, cols) 0..255, IntWritable label]}.
 *
 * <pre>{@code
 * RecordReader reader = new IdxRecordReader(List.of("T-shirt/top", "Trouser", ...));
 * reader.initialize(new CollectionInputSplit(List.of(imagesGz.toURI(), labelsGz.toURI())));
 * DataSetIterator it = new RecordReaderDataSetIterator(reader, 64, 1, 10);
 * }</pre>
 */
public final class IdxRecordReader extends ImageBytesRecordReader {

    private final List<String> classNames;

    /** @param classNames the class names, in label order (their count bounds the labels) */
    public IdxRecordReader(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
    }

    /** A reader already holding {@code imagesName} and {@code labelsName} of {@code files} (each plain or {@code .gz}). */
    public static IdxRecordReader of(DataFiles files, String imagesName, String labelsName, List<String> classNames)
            throws IOException {
        IdxRecordReader reader = new IdxRecordReader(classNames);
        reader.read(files, imagesName, labelsName);
        return reader;
    }

    /** The split must hold two locations, the image file and the label file, in either order. */
    @Override
    public void initialize(InputSplit split) throws IOException {
        URI[] locations = split.locations();
        if (locations == null || locations.length != 2) {
            throw new IllegalArgumentException("IdxRecordReader needs two files, the IDX images and their labels; got "
                    + (locations == null ? 0 : locations.length));
        }
        Path first = Path.of(locations[0]);
        Path second = Path.of(locations[1]);
        DataFiles firstFiles = DataFiles.of(first.getParent());
        boolean firstIsImages = IdxReader.magic(firstFiles, first.getFileName().toString()) == IdxReader.IMAGES_MAGIC;
        Path images = firstIsImages ? first : second;
        Path labels = firstIsImages ? second : first;
        if (!images.getParent().equals(labels.getParent())) {
            throw new IllegalArgumentException("IdxRecordReader: keep " + images + " and " + labels + " in one folder");
        }
        read(DataFiles.of(images.getParent()), images.getFileName().toString(), labels.getFileName().toString());
    }

    private void read(DataFiles files, String imagesName, String labelsName) throws IOException {
        IdxReader.Images images = IdxReader.readImages(files, imagesName);
        int[] labels = IdxReader.readLabels(files, labelsName);
        String imagesFile = files.describe(IdxReader.resolve(files, imagesName));
        String labelsFile = files.describe(IdxReader.resolve(files, labelsName));
        if (labels.length != images.count()) {
            throw new DataFormatException(labelsFile + " holds " + labels.length + " labels but " + imagesFile
                    + " holds " + images.count() + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classNames.size()) {
                throw new DataFormatException(labelsFile + ": label " + labels[i] + " of example " + i
                        + " is out of range 0.." + (classNames.size() - 1));
            }
        }
        URI uri = files instanceof DataFiles.DirectoryFiles dir ? dir.directory().resolve(IdxReader.resolve(files,
                imagesName)).toUri() : null;
        setImages(images.pixels(), labels, new InputShape(1, images.rows(), images.cols()), classNames, uri);
    }
}
