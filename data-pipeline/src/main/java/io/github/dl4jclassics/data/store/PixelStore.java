package io.github.dl4jclassics.data.store;

/**
 * Fixed-size 8-bit images addressed by index: in a byte array when they fit in memory, in a memory-mapped
 * cache file otherwise (CIFAR-10 resized to 128x128 is 2.4 GB, more than one Java array holds).
 * Implementations are read-only and safe to read from several threads.
 */
public interface PixelStore {

    /** Number of images. */
    int count();

    /** Bytes per image. */
    int imageSize();

    /** Copies image {@code index} into {@code target} at {@code offset}. */
    void read(int index, byte[] target, int offset);

    /** Copies image {@code index} as floats in 0..255 into {@code target} at {@code offset}. */
    default void readFloats(int index, float[] target, int offset) {
        byte[] image = new byte[imageSize()];
        read(index, image, 0);
        for (int i = 0; i < image.length; i++) {
            target[offset + i] = image[i] & 0xFF;
        }
    }

    /** Value {@code position} (0..imageSize-1) of image {@code index}, 0..255. */
    int value(int index, int position);
}
