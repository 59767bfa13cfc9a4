package io.github.dl4jclassics.data.readers;

import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the CIFAR binary formats. Each record is the label byte(s) followed by 3,072 pixel bytes: the 1,024
 * red values, then green, then blue, each row-major 32x32, which is already the (C, H, W) RGB layout of
 * {@link io.github.dl4jclassics.data.ImageSet}. CIFAR-10 records have one label byte, CIFAR-100 records a
 * coarse then a fine label byte.
 *
 * <p>Files are read from an extracted folder ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}), from the
 * folder's files placed directly in the data directory, or straight from the official {@code .tar.gz}.
 */
public final class CifarReader {

    public static final int SIDE = 32;
    public static final int PIXELS = 3 * SIDE * SIDE;

    private CifarReader() {
    }

    /** Images and labels of one or more batch files, concatenated in the order given. */
    public record Records(byte[] pixels, int[] labels) {
        public int count() {
            return labels.length;
        }
    }

    /**
     * A CIFAR file layout: the archive name, its top folder, and the label bytes per record.
     *
     * @param labelBytes 1 (CIFAR-10) or 2 (CIFAR-100: coarse, fine)
     */
    public record Layout(String archive, String folder, int labelBytes) {
        public static final Layout CIFAR10 = new Layout("cifar-10-binary.tar.gz", "cifar-10-batches-bin", 1);
        public static final Layout CIFAR100 = new Layout("cifar-100-binary.tar.gz", "cifar-100-binary", 2);

        public int recordSize() {
            return labelBytes + PIXELS;
        }
    }

    /** Where in {@code files} the layout's members are: a folder, the files directly, or the archive; null if none. */
    public static Source find(DataFiles files, Layout layout, String probeMember) {
        if (files.exists(layout.folder() + "/" + probeMember)) {
            return new Source(files, layout.folder() + "/", null);
        }
        if (files.exists(probeMember)) {
            return new Source(files, "", null);
        }
        if (files.exists(layout.archive())) {
            return new Source(files, layout.folder() + "/", layout.archive());
        }
        return null;
    }

    /** Members of a CIFAR layout, read from a folder or from inside the archive. */
    public record Source(DataFiles files, String prefix, String archive) {

        /** Human-readable name of a member, for messages: {@code /data/cifar-10-batches-bin/test_batch.bin}. */
        public String describe(String member) {
            return archive == null ? files.describe(prefix + member) : files.describe(archive) + "!" + prefix + member;
        }

        /** The contents of the named members (missing ones are absent from the map). */
        public Map<String, byte[]> readAll(List<String> members) throws IOException {
            Map<String, byte[]> found = new LinkedHashMap<>();
            if (archive == null) {
                for (String member : members) {
                    if (files.exists(prefix + member)) {
                        try (InputStream in = files.open(prefix + member)) {
                            found.put(member, in.readAllBytes());
                        }
                    }
                }
                return found;
            }
            // One pass over the archive: the gzip stream cannot seek, so collect every wanted member as it passes.
            Map<String, String> wanted = new HashMap<>();
            for (String member : members) {
                wanted.put(prefix + member, member);
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                    new BufferedInputStream(files.open(archive), 1 << 16)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextTarEntry()) != null) {
                    String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                    String member = wanted.get(name);
                    if (member != null && entry.isFile()) {
                        found.put(member, tar.readAllBytes());
                    }
                }
            } catch (IOException e) {
                throw new DataFormatException(files.describe(archive) + ": cannot read the archive (" + e.getMessage()
                        + "); it may be truncated: delete it and download it again", e);
            }
            return found;
        }
    }

    /**
     * Parses the records of the given members (all must be present) and takes label byte {@code labelIndex}
     * of each record, which must be below {@code numClasses}.
     */
    public static Records parse(Source source, Layout layout, Map<String, byte[]> contents, List<String> members,
                                int labelIndex, int numClasses) {
        int total = 0;
        for (String member : members) {
            byte[] data = contents.get(member);
            if (data == null) {
                throw new DataFormatException("missing CIFAR file " + source.describe(member));
            }
            int recordSize = layout.recordSize();
            if (data.length == 0 || data.length % recordSize != 0) {
                throw new DataFormatException(source.describe(member) + ": " + data.length + " bytes is not a whole number of "
                        + recordSize + "-byte records (" + layout.labelBytes() + " label byte(s) + " + PIXELS
                        + " pixels); the file is truncated or not CIFAR " + (layout.labelBytes() == 1 ? "-10" : "-100")
                        + " binary (record " + (data.length / recordSize) + " is incomplete)");
            }
            total += data.length / recordSize;
        }
        byte[] pixels = new byte[Math.multiplyExact(total, PIXELS)];
        int[] labels = new int[total];
        int n = 0;
        for (String member : members) {
            byte[] data = contents.get(member);
            int records = data.length / layout.recordSize();
            for (int r = 0; r < records; r++, n++) {
                int start = r * layout.recordSize();
                int label = data[start + labelIndex] & 0xFF;
                if (label >= numClasses) {
                    throw new DataFormatException(source.describe(member) + ": record " + r + " has label " + label
                            + ", out of range 0.." + (numClasses - 1));
                }
                labels[n] = label;
                System.arraycopy(data, start + layout.labelBytes(), pixels, n * PIXELS, PIXELS);
            }
        }
        return new Records(pixels, labels);
    }

    /** Reads and parses {@code members} in one pass (one pass over the archive when reading from it). */
    public static Records read(Source source, Layout layout, List<String> members, int labelIndex, int numClasses)
            throws IOException {
        return parse(source, layout, source.readAll(members), members, labelIndex, numClasses);
    }

    /** Class names from a names file (one per line; blank lines ignored), which must list exactly {@code expected}. */
    public static List<String> parseNames(Source source, Map<String, byte[]> contents, String member, int expected) {
        byte[] data = contents.get(member);
        if (data == null) {
            throw new DataFormatException("missing CIFAR class-names file " + source.describe(member));
        }
        List<String> names = new ArrayList<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\\R")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        if (names.size() != expected) {
            throw new DataFormatException(source.describe(member) + ": lists " + names.size() + " class names, expected "
                    + expected);
        }
        return names;
    }

}
