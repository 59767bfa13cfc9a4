package io.github.dl4jclassics.data.readers;

import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.common.InputShape;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.datavec.api.split.InputSplit;

/**
 * DataVec record reader of the CIFAR-10 / CIFAR-100 binary batches ({@code data_batch_1.bin}, {@code test.bin}, ...),
 * which DataVec has no offline reader for. Records are {@code [NDArrayWritable (1, 3, 32, 32) 0..255 in R, G, B
 * order, IntWritable label]} (CIFAR stores RGB planes; no BGR swap, unlike OpenCV-decoded images).
 *
 * <pre>{@code
 * RecordReader reader = CifarRecordReader.cifar10(classNames);
 * reader.initialize(new CollectionInputSplit(List.of(batch1.toURI(), batch2.toURI())));
 * DataSetIterator it = new RecordReaderDataSetIterator(reader, 128, 1, 10);
 * }</pre>
 */
public final class CifarRecordReader extends ImageBytesRecordReader {

    private final CifarReader.Layout layout;
    private final int labelIndex;
    private final List<String> classNames;

    /**
     * @param labelIndex which label byte of a record to use: 0 for CIFAR-10 and CIFAR-100's coarse labels, 1 for
     *                   CIFAR-100's fine labels
     */
    public CifarRecordReader(CifarReader.Layout layout, int labelIndex, List<String> classNames) {
        if (labelIndex < 0 || labelIndex >= layout.labelBytes()) {
            throw new IllegalArgumentException("label index " + labelIndex + " outside the " + layout.labelBytes()
                    + " label byte(s) of " + layout.folder());
        }
        this.layout = layout;
        this.labelIndex = labelIndex;
        this.classNames = List.copyOf(classNames);
    }

    public static CifarRecordReader cifar10(List<String> classNames) {
        return new CifarRecordReader(CifarReader.Layout.CIFAR10, 0, classNames);
    }

    /** @param fine true for the 100 fine labels, false for the 20 coarse ones */
    public static CifarRecordReader cifar100(boolean fine, List<String> classNames) {
        return new CifarRecordReader(CifarReader.Layout.CIFAR100, fine ? 1 : 0, classNames);
    }

    /** A reader already holding {@code members} of {@code source}, whose contents were read (one pass over an archive). */
    public static CifarRecordReader of(CifarReader.Source source, CifarReader.Layout layout, Map<String, byte[]> contents,
                                       List<String> members, int labelIndex, List<String> classNames) {
        CifarRecordReader reader = new CifarRecordReader(layout, labelIndex, classNames);
        reader.parse(source, contents, members);
        return reader;
    }

    /** The split's locations are batch files, read in the order given. */
    @Override
    public void initialize(InputSplit split) throws IOException {
        URI[] locations = split.locations();
        if (locations == null || locations.length == 0) {
            throw new IllegalArgumentException("CifarRecordReader needs at least one CIFAR .bin batch file");
        }
        Path folder = Path.of(locations[0]).getParent();
        List<String> members = new ArrayList<>();
        for (URI location : locations) {
            Path file = Path.of(location);
            if (!file.getParent().equals(folder)) {
                throw new IllegalArgumentException("CifarRecordReader: keep the batch files in one folder (" + folder
                        + "), not " + file);
            }
            members.add(file.getFileName().toString());
        }
        CifarReader.Source source = new CifarReader.Source(DataFiles.of(folder), "", null);
        parse(source, source.readAll(members), members);
    }

    private void parse(CifarReader.Source source, Map<String, byte[]> contents, List<String> members) {
        CifarReader.Records records = CifarReader.parse(source, layout, contents, members, labelIndex, classNames.size());
        URI uri = source.archive() == null && source.files() instanceof DataFiles.DirectoryFiles dir
                ? dir.directory().resolve(source.prefix() + members.get(0)).toUri() : null;
        setImages(records.pixels(), records.labels(), new InputShape(3, CifarReader.SIDE, CifarReader.SIDE), classNames,
                uri);
    }
}
