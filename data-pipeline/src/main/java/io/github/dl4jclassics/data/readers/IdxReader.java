package io.github.dl4jclassics.data.readers;

import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

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

    /** What to do about a damaged data file, appended to every message about one. */
    static final String REDOWNLOAD = "delete it and download it again (the `download` command, or from the data"
            + " set's site)";

    public static Images readImages(DataFiles files, String name) throws IOException {
        String resolved = resolve(files, name);
        try (DataInputStream in = open(files, resolved)) {
            return readImages(in, files, resolved);
        } catch (EOFException | ZipException e) {
            throw damaged(files, resolved, e);
        }
    }

    private static Images readImages(DataInputStream in, DataFiles files, String resolved) throws IOException {
        int magic = readHeader(in, files, resolved, "magic number");
        if (magic != IMAGES_MAGIC) {
            throw new DataFormatException(files.describe(resolved) + ": magic number 0x" + Integer.toHexString(magic)
                    + " is not that of an IDX image file (0x00000803); " + REDOWNLOAD);
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

    public static int[] readLabels(DataFiles files, String name) throws IOException {
        String resolved = resolve(files, name);
        try (DataInputStream in = open(files, resolved)) {
            return readLabels(in, files, resolved);
        } catch (EOFException | ZipException e) {
            throw damaged(files, resolved, e);
        }
    }

    /** The magic number of an IDX file (gzipped or not): {@code 0x803} for images, {@code 0x801} for labels. */
    public static int magic(DataFiles files, String name) throws IOException {
        try (DataInputStream in = open(files, name)) {
            return readHeader(in, files, name, "magic number");
        } catch (EOFException | ZipException e) {
            throw damaged(files, name, e);
        }
    }

    /**
     * The message for a file that is not what its name says: empty, cut short by an interrupted download, or a web
     * page saved under the data file's name (a mirror's error or login page).
     */
    private static DataFormatException damaged(DataFiles files, String name, IOException cause) throws IOException {
        byte[] start;
        try (InputStream raw = files.open(name)) {
            start = raw.readNBytes(512);
        }
        String text = new String(start, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(java.util.Locale.ROOT);
        String problem;
        if (start.length == 0) {
            problem = "the file is empty (0 bytes)";
        } else if (text.startsWith("<!doctype html") || text.startsWith("<html") || text.startsWith("<?xml")
                || text.startsWith("<head") || text.startsWith("<")) {
            problem = "the file is a web page (HTML), not " + (name.endsWith(".gz") ? "gzip data" : "an IDX file");
        } else if (name.endsWith(".gz") && (start.length < 2 || (start[0] & 0xFF) != 0x1f || (start[1] & 0xFF) != 0x8b)) {
            problem = "the file is not gzip data (" + cause.getMessage() + ")";
        } else {
            problem = "the file is truncated (" + cause.getMessage() + "), probably by an interrupted download";
        }
        return new DataFormatException(files.describe(name) + ": " + problem + "; " + REDOWNLOAD, cause);
    }

    private static int[] readLabels(DataInputStream in, DataFiles files, String resolved) throws IOException {
        int magic = readHeader(in, files, resolved, "magic number");
        if (magic != LABELS_MAGIC) {
            throw new DataFormatException(files.describe(resolved) + ": magic number 0x" + Integer.toHexString(magic)
                    + " is not that of an IDX label file (0x00000801); " + REDOWNLOAD);
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
            throw new DataFormatException(files.describe(name) + ": file ends inside the header (" + field + "); " + REDOWNLOAD);
        }
    }

    private static void readFully(DataInputStream in, byte[] target, DataFiles files, String name, String what)
            throws IOException {
        int read = in.readNBytes(target, 0, target.length);
        if (read != target.length) {
            throw new DataFormatException(files.describe(name) + ": truncated; header promises " + what + " ("
                    + target.length + " bytes) but only " + read + " follow; " + REDOWNLOAD);
        }
    }

    private static void expectEnd(DataInputStream in, DataFiles files, String name) throws IOException {
        if (in.read() != -1) {
            throw new DataFormatException(files.describe(name) + ": more data than the header's counts promise");
        }
    }
}
