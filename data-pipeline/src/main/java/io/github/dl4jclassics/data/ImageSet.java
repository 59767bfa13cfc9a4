package io.github.dl4jclassics.data;

import io.github.dl4jclassics.data.store.ArrayPixelStore;
import io.github.dl4jclassics.data.store.PixelStore;
import io.github.dl4jclassics.common.InputShape;
import java.util.List;

/**
 * Decoded images of one split as 8-bit pixels, channels first (N, C, H, W), RGB order for colour images, with
 * integer labels and the class names that travel with them into results.
 *
 * <p>Pixels stay bytes until a batch is made, so a data set costs one byte per value and no image is decoded
 * twice. The bytes live in a {@link PixelStore} (memory, or a memory-mapped cache file when too large); subsets
 * are index views over the same store, so a train/validation split copies no pixels.
 */
public final class ImageSet {

    private final PixelStore store;
    private final int[] indices;
    private final int[] labels;
    private final InputShape shape;
    private final List<String> classNames;
    private final String description;

    public ImageSet(byte[] pixels, int[] labels, InputShape shape, List<String> classNames, String description) {
        this(checkedArrayStore(pixels, labels.length, shape, description), null, labels, shape, classNames, description);
    }

    /**
     * @param indices which images of {@code store} this set holds, in order (null: all of them)
     */
    public ImageSet(PixelStore store, int[] indices, int[] labels, InputShape shape, List<String> classNames,
                    String description) {
        if (store.imageSize() != shape.size()) {
            throw new IllegalArgumentException(description + ": stored images have " + store.imageSize()
                    + " values, not those of " + shape);
        }
        int size = indices == null ? store.count() : indices.length;
        if (labels.length != size) {
            throw new IllegalArgumentException(description + ": " + labels.length + " labels for " + size + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DataFormatException(description + ": label " + labels[i] + " of example " + i
                        + " is out of range 0.." + (classNames.size() - 1));
            }
        }
        this.store = store;
        this.indices = indices;
        this.labels = labels;
        this.shape = shape;
        this.classNames = List.copyOf(classNames);
        this.description = description;
    }

    private static PixelStore checkedArrayStore(byte[] pixels, int count, InputShape shape, String description) {
        if ((long) count * shape.size() != pixels.length) {
            throw new IllegalArgumentException(description + ": " + pixels.length + " pixel values do not hold "
                    + count + " images of " + shape);
        }
        return new ArrayPixelStore(pixels, shape.size());
    }

    public int size() {
        return labels.length;
    }

    public InputShape shape() {
        return shape;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    public int label(int index) {
        return labels[index];
    }

    public int[] labels() {
        return labels.clone();
    }

    /** Where the images came from, for messages. */
    public String description() {
        return description;
    }

    /** True when the pixels are in a memory-mapped cache file rather than the heap. */
    public boolean onDisk() {
        return !(store instanceof ArrayPixelStore);
    }

    private int stored(int index) {
        return indices == null ? index : indices[index];
    }

    /** Pixel value {@code (image, channel, y, x)} in 0..255. */
    public int pixel(int image, int channel, int y, int x) {
        return store.value(stored(image), (channel * shape.height() + y) * shape.width() + x);
    }

    /** Copies image {@code index} as floats in 0..255 into {@code target} at {@code offset}. */
    public void copyImage(int index, float[] target, int offset) {
        store.readFloats(stored(index), target, offset);
    }

    /** Copies the raw bytes of image {@code index} into {@code target} at {@code offset}. */
    public void copyBytes(int index, byte[] target, int offset) {
        store.read(stored(index), target, offset);
    }

    /** The raw bytes of image {@code index}, for readers and transforms that work on bytes. */
    public byte[] imageBytes(int index) {
        byte[] out = new byte[shape.size()];
        store.read(stored(index), out, 0);
        return out;
    }

    /** The examples at {@code indices}, in that order (a view: no pixels are copied). */
    public ImageSet subset(int[] subsetIndices, String subsetDescription) {
        int[] stored = new int[subsetIndices.length];
        int[] subLabels = new int[subsetIndices.length];
        for (int i = 0; i < subsetIndices.length; i++) {
            stored[i] = stored(subsetIndices[i]);
            subLabels[i] = labels[subsetIndices[i]];
        }
        return new ImageSet(store, stored, subLabels, shape, classNames, subsetDescription);
    }

    /** The first {@code n} examples (all when {@code n} is at least the size). */
    public ImageSet limit(int n) {
        if (n >= size()) {
            return this;
        }
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i;
        }
        return subset(first, description + " (first " + n + ")");
    }

    /** Number of examples of each class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
