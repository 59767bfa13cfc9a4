package io.github.dl4jclassics.data.readers;

import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.store.PixelStoreBuilder;
import io.github.dl4jclassics.common.InputShape;
import java.util.List;
import org.datavec.api.records.reader.RecordReader;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Fills the decoded-image store from any DataVec {@link RecordReader} whose records are
 * {@code [image (1, C, H, W) with values 0..255, class index]}: the project's own readers
 * ({@link IdxRecordReader}, {@link CifarRecordReader}) and DataVec's {@code ImageRecordReader} alike. Records are
 * batched by DataVec's {@link RecordReaderDataSetIterator}, then kept as bytes, channels first, in RGB order: a
 * reader that yields BGR (OpenCV's {@code NativeImageLoader}) says so with {@link ChannelOrder#BGR} and the channel
 * axis is reversed here, once, while storing. The project's {@link ImageBytesRecordReader}s (IDX, CIFAR) hand over
 * their bytes directly: batching their records through ND4J would cost more than parsing the files.
 */
public final class RecordReaderImages {

    /** The channel order of a reader's 3-channel images. */
    public enum ChannelOrder {
        /** Red, green, blue (CIFAR, and every image the store holds); also used for 1-channel images. */
        RGB,
        /** Blue, green, red: what OpenCV and so DataVec's {@code NativeImageLoader} produce. */
        BGR
    }

    private static final int READ_BATCH = 256;

    private RecordReaderImages() {
    }

    /**
     * Reads every record of {@code reader} (already initialized) into {@code builder} from index {@code start},
     * mapping the reader's label index {@code i} to {@code labelMap[i]}.
     *
     * @param labels receives the (mapped) label of each stored image, at the same index
     * @return the number of images read
     */
    public static int readInto(RecordReader reader, int readerClasses, int[] labelMap, InputShape shape,
                               ChannelOrder order, PixelStoreBuilder builder, int start, int[] labels, String what) {
        RecordReaderDataSetIterator batches = new RecordReaderDataSetIterator(reader, READ_BATCH, 1, readerClasses);
        int n = start;
        byte[] image = new byte[shape.size()];
        int plane = shape.height() * shape.width();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            INDArray features = batch.getFeatures();
            int count = (int) features.size(0);
            if (features.rank() != 4 || features.size(1) != shape.channels() || features.size(2) != shape.height()
                    || features.size(3) != shape.width()) {
                throw new DataFormatException(what + ": the reader gave images of shape "
                        + java.util.Arrays.toString(features.shape()) + ", expected (N, " + shape.channels() + ", "
                        + shape.height() + ", " + shape.width() + ")");
            }
            float[] values = features.dup('c').data().asFloat();
            int[] classes = batch.getLabels().argMax(1).toIntVector();
            for (int i = 0; i < count; i++, n++) {
                int base = i * shape.size();
                for (int c = 0; c < shape.channels(); c++) {
                    int from = order == ChannelOrder.BGR && shape.channels() == 3 ? 2 - c : c;
                    int src = base + from * plane;
                    int dst = c * plane;
                    for (int p = 0; p < plane; p++) {
                        image[dst + p] = (byte) Math.round(values[src + p]);
                    }
                }
                builder.put(n, image, 0);
                labels[n] = labelMap == null ? classes[i] : labelMap[classes[i]];
            }
        }
        return n - start;
    }

    /** Reads a whole reader into an in-memory (or memory-mapped, when larger than the budget) {@link ImageSet}. */
    public static ImageSet read(RecordReader reader, int count, List<String> classNames, InputShape shape,
                                ChannelOrder order, long memoryBudget, String description) {
        int[] labels = new int[count];
        try (PixelStoreBuilder builder = PixelStoreBuilder.create(count, shape.size(), memoryBudget, null)) {
            int read;
            if (reader instanceof ImageBytesRecordReader bytes && order == ChannelOrder.RGB) {
                // The project's own readers already hold the bytes in the store's layout: copy them as they are.
                byte[] image = new byte[shape.size()];
                for (int i = 0; i < bytes.count(); i++) {
                    bytes.copyImage(i, image, 0);
                    builder.put(i, image, 0);
                    labels[i] = bytes.label(i);
                }
                read = bytes.count();
            } else {
                read = readInto(reader, classNames.size(), null, shape, order, builder, 0, labels, description);
            }
            if (read != count) {
                throw new DataFormatException(description + ": the reader gave " + read + " images, expected " + count);
            }
            return new ImageSet(builder.finish(), null, labels, shape, classNames, description);
        }
    }
}
