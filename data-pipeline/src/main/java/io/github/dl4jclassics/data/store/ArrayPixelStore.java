package io.github.dl4jclassics.data.store;

/** Images held in one byte array (up to 2 GB). */
public final class ArrayPixelStore implements PixelStore {

    private final byte[] pixels;
    private final int imageSize;
    private final int count;

    public ArrayPixelStore(byte[] pixels, int imageSize) {
        if (imageSize <= 0 || pixels.length % imageSize != 0) {
            throw new IllegalArgumentException(pixels.length + " bytes are not a whole number of " + imageSize + "-byte images");
        }
        this.pixels = pixels;
        this.imageSize = imageSize;
        this.count = pixels.length / imageSize;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    @Override
    public void read(int index, byte[] target, int offset) {
        System.arraycopy(pixels, index * imageSize, target, offset, imageSize);
    }

    @Override
    public void readFloats(int index, float[] target, int offset) {
        int start = index * imageSize;
        for (int i = 0; i < imageSize; i++) {
            target[offset + i] = pixels[start + i] & 0xFF;
        }
    }

    @Override
    public int value(int index, int position) {
        return pixels[index * imageSize + position] & 0xFF;
    }
}
