package io.github.dl4jclassics.data.store;

import io.github.dl4jclassics.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Fills a {@link PixelStore} image by image, from several threads at once: in memory when the images fit in
 * the memory budget, otherwise in a cache file that is then memory-mapped.
 */
public final class PixelStoreBuilder implements AutoCloseable {

    /** Images larger than this in total go to disk: a quarter of the heap, at most 1.5 GB. */
    public static long defaultMemoryBudget() {
        return Math.min(Runtime.getRuntime().maxMemory() / 4, 1536L << 20);
    }

    private final int count;
    private final int imageSize;
    private final byte[] memory;
    private final Path file;
    private final Path partial;
    private final FileChannel channel;

    private PixelStoreBuilder(int count, int imageSize, byte[] memory, Path file) throws IOException {
        this.count = count;
        this.imageSize = imageSize;
        this.memory = memory;
        this.file = file;
        if (file != null) {
            Files.createDirectories(file.getParent());
            this.partial = file.resolveSibling(file.getFileName() + ".part");
            this.channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            this.partial = null;
            this.channel = null;
        }
    }

    /**
     * @param diskFile where the images go when they exceed {@code memoryBudget} bytes (null: always memory)
     */
    public static PixelStoreBuilder create(int count, int imageSize, long memoryBudget, Path diskFile) {
        long total = (long) count * imageSize;
        try {
            if (diskFile == null || total <= memoryBudget) {
                if (total > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException(count + " images of " + imageSize + " bytes (" + total
                            + " bytes) do not fit in memory and no cache directory was given");
                }
                return new PixelStoreBuilder(count, imageSize, new byte[(int) total], null);
            }
            return new PixelStoreBuilder(count, imageSize, null, diskFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pixel cache " + diskFile, e);
        }
    }

    public boolean onDisk() {
        return memory == null;
    }

    /** Stores image {@code index}; thread-safe for distinct indices. */
    public void put(int index, byte[] image, int offset) {
        if (memory != null) {
            System.arraycopy(image, offset, memory, index * imageSize, imageSize);
            return;
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(image, offset, imageSize);
            long position = (long) index * imageSize;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pixel cache " + partial, e);
        }
    }

    /** The finished store; a disk store is renamed into place only now, so a crash never leaves a half cache. */
    public PixelStore finish() {
        if (memory != null) {
            return new ArrayPixelStore(memory, imageSize);
        }
        try {
            channel.close();
            AtomicFiles.publish(partial, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish pixel cache " + file, e);
        }
        return new MappedPixelStore(file, 0, count, imageSize);
    }

    @Override
    public void close() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // best effort: a stale .part file is overwritten next time
            }
        }
    }
}
