package io.github.dl4jclassics.data;

import io.github.dl4jclassics.zoo.InputShape;
import java.util.List;

/**
 * Decoded images of one split held in memory as 8-bit pixels, channels first (N, C, H, W), RGB order for colour
 * images, with integer labels and the class names that travel with them into results.
 *
 * <p>Pixels stay bytes until a batch is made, so a full data set costs one byte per value and no image is
 * decoded twice.
 */
public final class ImageSet {

    private final byte[] pixels;
    private final int[] labels;
    private final InputShape shape;
    private final List<String> classNames;
    private final String description;

    public ImageSet(byte[] pixels, int[] labels, InputShape shape, List<String> classNames, String description) {
        if ((long) labels.length * shape.size() != pixels.length) {
            throw new IllegalArgumentException(description + ": " + pixels.length + " pixel values do not hold "
                    + labels.length + " images of " + shape);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DataFormatException(description + ": label " + labels[i] + " of example " + i
                        + " is out of range 0.." + (classNames.size() - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.shape = shape;
        this.classNames = List.copyOf(classNames);
        this.description = description;
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

    /** Pixel value {@code (image, channel, y, x)} in 0..255. */
    public int pixel(int image, int channel, int y, int x) {
        return pixels[((image * shape.channels() + channel) * shape.height() + y) * shape.width() + x] & 0xFF;
    }

    /** Copies image {@code index} as floats in 0..255 into {@code target} at {@code offset}. */
    public void copyImage(int index, float[] target, int offset) {
        int size = shape.size();
        int start = index * size;
        for (int i = 0; i < size; i++) {
            target[offset + i] = pixels[start + i] & 0xFF;
        }
    }

    /** The raw bytes of image {@code index}, for readers and transforms that work on bytes. */
    public byte[] imageBytes(int index) {
        int size = shape.size();
        byte[] out = new byte[size];
        System.arraycopy(pixels, index * size, out, 0, size);
        return out;
    }

    /** The examples at {@code indices}, in that order. */
    public ImageSet subset(int[] indices, String subsetDescription) {
        int size = shape.size();
        byte[] subPixels = new byte[indices.length * size];
        int[] subLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, subPixels, i * size, size);
            subLabels[i] = labels[indices[i]];
        }
        return new ImageSet(subPixels, subLabels, shape, classNames, subsetDescription);
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
