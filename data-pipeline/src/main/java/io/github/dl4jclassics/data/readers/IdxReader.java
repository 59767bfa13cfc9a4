package io.github.dl4jclassics.data.readers;

import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-format IDX files (MNIST, Fashion-MNIST), gzipped ({@code name.gz}) or plain: unsigned-byte
 * images (magic 0x00000803) and labels (magic 0x00000801), big-endian headers.
 */
public final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Images as (count, rows, cols, pixels) from {@code name} or {@code name.gz}. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    public static Images readImages(DataFiles files, String name) throws IOException {
        String resolved = resolve(files, name);
        try (DataInputStream in = open(files, resolved)) {
            int magic = readHeader(in, files, resolved, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new DataFormatException(files.describe(resolved) + ": magic number 0x" + Integer.toHexString(magic)
                        + " is not that of an IDX image file (0x00000803)");
            }
            int count = readHeader(in, files, resolved, "image count");
            int rows = readHeader(in, files, resolved, "row count");
            int cols = readHeader(in, files, resolved, "column count");
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new DataFormatException(files.describe(resolved) + ": invalid dimensions " + count + "x" + rows + "x" + cols);
            }
            byte[] pixels = new byte[Math.multiplyExact(count, rows * cols)];
            readFully(in, pixels, files, resolved, count + " images of " + rows + "x" + cols);
            expectEnd(in, files, resolved);
            return new Images(count, rows, cols, pixels);
        }
    }

    public static int[] readLabels(DataFiles files, String name) throws IOException {
        String resolved = resolve(files, name);
        try (DataInputStream in = open(files, resolved)) {
            int magic = readHeader(in, files, resolved, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new DataFormatException(files.describe(resolved) + ": magic number 0x" + Integer.toHexString(magic)
                        + " is not that of an IDX label file (0x00000801)");
            }
            int count = readHeader(in, files, resolved, "label count");
            if (count < 0) {
                throw new DataFormatException(files.describe(resolved) + ": negative label count " + count);
            }
            byte[] raw = new byte[count];
            readFully(in, raw, files, resolved, count + " labels");
            expectEnd(in, files, resolved);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        }
    }

    /** {@code name} itself or its gzipped form {@code name.gz}, whichever exists. */
    public static String resolve(DataFiles files, String name) {
        if (files.exists(name)) {
            return name;
        }
        if (files.exists(name + ".gz")) {
            return name + ".gz";
        }
        throw new DataFormatException("missing IDX file: neither " + files.describe(name) + " nor "
                + files.describe(name + ".gz") + " exists");
    }

    public static boolean exists(DataFiles files, String name) {
        return files.exists(name) || files.exists(name + ".gz");
    }

    private static DataInputStream open(DataFiles files, String name) throws IOException {
        InputStream raw = new BufferedInputStream(files.open(name), 1 << 16);
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }

    private static int readHeader(DataInputStream in, DataFiles files, String name, String field) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(files.describe(name) + ": file ends inside the header (" + field + ")");
        }
    }

    private static void readFully(DataInputStream in, byte[] target, DataFiles files, String name, String what)
            throws IOException {
        int read = in.readNBytes(target, 0, target.length);
        if (read != target.length) {
            throw new DataFormatException(files.describe(name) + ": truncated; header promises " + what + " ("
                    + target.length + " bytes) but only " + read + " follow");
        }
    }

    private static void expectEnd(DataInputStream in, DataFiles files, String name) throws IOException {
        if (in.read() != -1) {
            throw new DataFormatException(files.describe(name) + ": more data than the header's counts promise");
        }
    }
}
