package io.github.dl4jclassics.data.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Images in a raw file ({@code count * imageSize} bytes from {@code offset}), memory-mapped in chunks of whole
 * images because one mapping is limited to 2 GB. The operating system's page cache keeps hot parts in memory.
 */
public final class MappedPixelStore implements PixelStore {

    private final Path file;
    private final int imageSize;
    private final int count;
    private final int imagesPerChunk;
    private final MappedByteBuffer[] chunks;

    public MappedPixelStore(Path file, long offset, int count, int imageSize) {
        this.file = file;
        this.imageSize = imageSize;
        this.count = count;
        this.imagesPerChunk = Math.max(1, (1 << 30) / imageSize);
        int chunkCount = (count + imagesPerChunk - 1) / imagesPerChunk;
        this.chunks = new MappedByteBuffer[chunkCount];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long needed = offset + (long) count * imageSize;
            if (channel.size() < needed) {
                throw new IllegalStateException(file + ": " + channel.size() + " bytes, expected at least " + needed);
            }
            for (int c = 0; c < chunkCount; c++) {
                int images = Math.min(imagesPerChunk, count - c * imagesPerChunk);
                chunks[c] = channel.map(FileChannel.MapMode.READ_ONLY, offset + (long) c * imagesPerChunk * imageSize,
                        (long) images * imageSize);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map pixel cache " + file, e);
        }
    }

    public Path file() {
        return file;
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
        // Absolute bulk get: no shared position, so concurrent readers do not interfere.
        chunks[index / imagesPerChunk].get((index % imagesPerChunk) * imageSize, target, offset, imageSize);
    }

    @Override
    public int value(int index, int position) {
        return chunks[index / imagesPerChunk].get((index % imagesPerChunk) * imageSize + position) & 0xFF;
    }
}
