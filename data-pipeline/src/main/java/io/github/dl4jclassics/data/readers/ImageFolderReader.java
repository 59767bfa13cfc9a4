package io.github.dl4jclassics.data.readers;

import io.github.dl4jclassics.common.AtomicFiles;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.CacheOrigin;
import io.github.dl4jclassics.data.DataCache;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.Fingerprints;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.LoadOptions;
import io.github.dl4jclassics.data.store.ArrayPixelStore;
import io.github.dl4jclassics.data.store.MappedPixelStore;
import io.github.dl4jclassics.data.store.PixelStore;
import io.github.dl4jclassics.data.store.PixelStoreBuilder;
import io.github.dl4jclassics.common.InputShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.image.recordreader.ImageRecordReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads class-per-folder image sets ({@code root/<class>/*.jpg|png}): class names are the folder names in
 * sorted order, labels their indices. Images are decoded by DataVec's {@code ImageRecordReader} with
 * {@code ParentPathLabelGenerator} (OpenCV, which yields BGR: the channel axis is reversed once when storing, so the
 * stored images are RGB), converted to 3 channels, resized bilinearly while loading, and stored once as bytes:
 * decoding runs in parallel chunks, and the decoded set is cached on disk so later runs decode no image at all. A
 * truncated or unreadable image is skipped with a warning naming it.
 */
public final class ImageFolderReader {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderReader.class);
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff");

    private ImageFolderReader() {
    }

    /** The image files of a class-per-folder tree, in a fixed order (class, then file name). */
    public record Listing(Path root, List<String> classNames, List<Path> files, int[] labels) {
        public int size() {
            return files.size();
        }
    }

    /** Decoded images plus the files that could not be read. */
    public record Result(ImageSet images, List<String> skipped) {
    }

    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && !name.startsWith(".") && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Lists {@code root}; fails naming the folder when it has no class folders or a class folder has no images.
     *
     * @param expectedClasses when not null, the class folders must be exactly these (a test folder must match the
     *                        training folder's classes)
     */
    public static Listing list(Path root, List<String> expectedClasses) {
        if (!Files.isDirectory(root)) {
            throw new DataFormatException("image folder " + root + " does not exist or is not a directory");
        }
        List<Path> classDirs;
        try (Stream<Path> children = Files.list(root)) {
            classDirs = children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        if (classDirs.isEmpty()) {
            throw new DataFormatException(root + ": no class folders (expected " + root + "/<class>/<image>.jpg)");
        }
        List<String> classNames = classDirs.stream().map(p -> p.getFileName().toString()).toList();
        if (expectedClasses != null && !classNames.equals(expectedClasses)) {
            throw new DataFormatException(root + ": class folders " + classNames + " differ from the training classes "
                    + expectedClasses);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            List<Path> images;
            try (Stream<Path> children = Files.list(classDirs.get(c))) {
                images = children.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + classDirs.get(c), e);
            }
            if (images.isEmpty()) {
                throw new DataFormatException("class folder " + classDirs.get(c) + " is empty: it holds no "
                        + EXTENSIONS + " images");
            }
            files.addAll(images);
            for (int i = 0; i < images.size(); i++) {
                labels.add(c);
            }
        }
        return new Listing(root, classNames, List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Files per DataVec reader: the decoding is spread over the cores in chunks of this many images. */
    private static final int CHUNK = 128;

    /**
     * Decodes the listed files at {@code which} (null: all) with DataVec's {@link ImageRecordReader} (OpenCV through
     * {@link org.datavec.image.loader.NativeImageLoader}, so JPEG, PNG, BMP, TIFF...), resized to
     * {@code options.resizeTo()} (height and width, OpenCV's bilinear {@code INTER_LINEAR}) or, without a size, at
     * their own size, which must then be the same for all. Labels come from {@link ParentPathLabelGenerator}. The
     * loader yields BGR; the images are stored RGB. Truncated or undecodable files are skipped and named.
     */
    public static Result read(Listing listing, int[] which, LoadOptions options, String description) throws IOException {
        return read(listing, which, options, description, null);
    }

    /** As {@link #read(Listing, int[], LoadOptions, String)}; {@code dataset} is recorded with the cache entry. */
    public static Result read(Listing listing, int[] which, LoadOptions options, String description, String dataset)
            throws IOException {
        int[] selected = which != null ? which : IntStream.range(0, listing.size()).toArray();
        InputShape target = options.resizeTo() == null ? null
                : new InputShape(3, options.resizeTo().height(), options.resizeTo().width());
        String key = null;
        if (options.cacheDir() != null) {
            StringBuilder identity = new StringBuilder("image-folder-v2-datavec|").append(target).append('|')
                    .append(Fingerprints.ofDirectory(listing.root())).append('|').append(Arrays.hashCode(selected));
            key = Fingerprints.sha256(identity.toString());
            Result cached = loadCache(options, key, listing, description);
            if (cached != null) {
                return cached;
            }
        }
        ConcurrentLinkedQueue<Integer> failed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> skipped = new ConcurrentLinkedQueue<>();
        // Files that a decoder would accept although they are incomplete are refused before decoding.
        IntStream.range(0, selected.length).parallel().forEach(i -> {
            Path file = listing.files().get(selected[i]);
            try {
                String problem = ImageFileCheck.problem(file);
                if (problem != null) {
                    failed.add(i);
                    skipped.add(file + " (" + problem + ")");
                }
            } catch (IOException e) {
                failed.add(i);
                skipped.add(file + " (cannot read: " + e.getMessage() + ")");
            }
        });
        boolean[] bad = new boolean[selected.length];
        failed.forEach(i -> bad[i] = true);
        if (target == null) {
            target = nativeShape(listing, selected, bad);
        }
        InputShape shape = target;
        boolean exactSize = options.resizeTo() == null;
        Path diskFile = options.cacheDir() == null ? null : options.cacheDir().resolve("images").resolve(key + ".u8");
        int[] labels = new int[selected.length];
        PixelStore store;
        try (PixelStoreBuilder builder = PixelStoreBuilder.create(selected.length, shape.size(), options.memoryBudget(),
                diskFile)) {
            int chunks = (selected.length + CHUNK - 1) / CHUNK;
            IntStream.range(0, chunks).parallel().forEach(chunk -> {
                int from = chunk * CHUNK;
                int to = Math.min(selected.length, from + CHUNK);
                List<Integer> positions = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    if (!bad[i]) {
                        positions.add(i);
                    }
                }
                try {
                    decode(listing, selected, positions, shape, exactSize, builder, labels);
                } catch (DataFormatException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    // Some file of the chunk could not be decoded: decode one by one to name it and keep the others.
                    for (int i : positions) {
                        try {
                            decode(listing, selected, List.of(i), shape, exactSize, builder, labels);
                        } catch (DataFormatException format) {
                            throw format;
                        } catch (IOException | RuntimeException single) {
                            failed.add(i);
                            skipped.add(listing.files().get(selected[i]) + " (" + message(single) + ")");
                        }
                    }
                }
            });
            store = builder.finish();
        }
        failed.forEach(i -> bad[i] = true);
        int[] kept = IntStream.range(0, selected.length).filter(i -> !bad[i]).toArray();
        int[] keptLabels = Arrays.stream(kept).map(i -> labels[i]).toArray();
        List<String> skippedList = skipped.stream().sorted().toList();
        if (!skippedList.isEmpty()) {
            LOG.warn("{}: skipped {} unreadable image(s) of {} (not used for training or evaluation; replace or delete"
                            + " them): {}", listing.root(), skippedList.size(), selected.length,
                    skippedList.size() <= 20 ? skippedList : skippedList.subList(0, 20) + " ...");
        }
        checkEveryClassHasImages(listing, Arrays.stream(selected).map(i -> listing.labels()[i]).toArray(), keptLabels);
        if (key != null) {
            writeCache(options, key, store, new CacheIndex(shape.toString(), kept, keptLabels, skippedList),
                    CacheOrigin.ofDirectory(dataset != null ? dataset : listing.root().getFileName().toString(),
                            listing.root(), description).withImages(shape, kept.length));
        }
        int[] view = kept.length == selected.length ? null : kept;
        return new Result(new ImageSet(store, view, keptLabels, shape, listing.classNames(), description), skippedList);
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /**
     * Decodes the files at {@code positions} (indices into {@code selected}) with one {@link ImageRecordReader} and
     * stores them at those positions of {@code builder}, their labels in {@code labels}.
     */
    private static void decode(Listing listing, int[] selected, List<Integer> positions, InputShape shape,
                               boolean exactSize, PixelStoreBuilder builder, int[] labels) throws IOException {
        if (positions.isEmpty()) {
            return;
        }
        List<URI> uris = new ArrayList<>(positions.size());
        for (int i : positions) {
            Path file = listing.files().get(selected[i]);
            if (exactSize) {
                requireSize(file, shape);
            }
            uris.add(file.toUri());
        }
        ImageRecordReader reader = new ImageRecordReader(shape.height(), shape.width(), shape.channels(),
                new ParentPathLabelGenerator());
        reader.initialize(new CollectionInputSplit(uris));
        // The reader numbers only the classes it saw in this chunk: give it the listing's, so indices are global.
        reader.setLabels(listing.classNames());
        int[] chunkLabels = new int[positions.size()];
        try (PixelStoreBuilder chunk = PixelStoreBuilder.create(positions.size(), shape.size(), Long.MAX_VALUE, null)) {
            int read = RecordReaderImages.readInto(reader, listing.classNames().size(), null, shape,
                    RecordReaderImages.ChannelOrder.BGR, chunk, 0, chunkLabels, listing.root().toString());
            if (read != positions.size()) {
                throw new IOException("decoded " + read + " of " + positions.size() + " images");
            }
            PixelStore decoded = chunk.finish();
            byte[] image = new byte[shape.size()];
            for (int k = 0; k < positions.size(); k++) {
                decoded.read(k, image, 0);
                builder.put(positions.get(k), image, 0);
                labels[positions.get(k)] = chunkLabels[k];
            }
        }
    }

    private static void checkEveryClassHasImages(Listing listing, int[] selectedLabels, int[] labels) {
        boolean[] present = new boolean[listing.classNames().size()];
        boolean[] listed = new boolean[present.length];
        for (int label : labels) {
            present[label] = true;
        }
        for (int label : selectedLabels) {
            listed[label] = true;
        }
        for (int c = 0; c < present.length; c++) {
            if (listed[c] && !present[c]) {
                throw new DataFormatException("class folder " + listing.root().resolve(listing.classNames().get(c))
                        + " has no readable image");
            }
        }
    }

    /** Height and width of an image as OpenCV decodes it, or null when it cannot. */
    private static int[] size(Path file) {
        Mat image = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
        try {
            return image == null || image.empty() ? null : new int[]{image.rows(), image.cols()};
        } finally {
            if (image != null) {
                image.close();
            }
        }
    }

    /** The size of the first readable image, when no resize was configured. */
    private static InputShape nativeShape(Listing listing, int[] selected, boolean[] bad) {
        for (int i = 0; i < selected.length; i++) {
            if (!bad[i]) {
                int[] size = size(listing.files().get(selected[i]));
                if (size != null) {
                    return new InputShape(3, size[0], size[1]);
                }
            }
        }
        throw new DataFormatException(listing.root() + ": none of the " + selected.length + " images could be read");
    }

    /** Without a resize step every image must have the size of the first (the reader would otherwise resize it). */
    private static void requireSize(Path file, InputShape shape) throws IOException {
        int[] size = size(file);
        if (size == null) {
            throw new IOException("not a readable image");
        }
        if (size[0] != shape.height() || size[1] != shape.width()) {
            throw new DataFormatException(file + " is " + size[1] + "x" + size[0] + " (width x height) but the other"
                    + " images are " + shape.width() + "x" + shape.height() + "; add {\"type\": \"resize\"} to"
                    + " data.transforms");
        }
    }

    /** What the decoded-image cache stores beside the pixels. */
    record CacheIndex(String shape, int[] kept, int[] labels, List<String> skipped) {
    }

    private static Result loadCache(LoadOptions options, String key, Listing listing, String description) {
        Path index = options.cacheDir().resolve("images").resolve(key + ".json");
        Path pixels = options.cacheDir().resolve("images").resolve(key + ".u8");
        if (!Files.isRegularFile(index) || !Files.isRegularFile(pixels)) {
            return null;
        }
        try {
            CacheIndex cache = Json.readFile(index, CacheIndex.class);
            InputShape shape = InputShape.parse(cache.shape());
            long stored = Files.size(pixels) / shape.size();
            if (Files.size(pixels) % shape.size() != 0 || stored > Integer.MAX_VALUE) {
                return null;
            }
            int count = (int) stored;
            PixelStore store = (long) count * shape.size() <= options.memoryBudget()
                    ? new ArrayPixelStore(Files.readAllBytes(pixels), shape.size())
                    : new MappedPixelStore(pixels, 0, count, shape.size());
            int[] view = cache.kept().length == count ? null : cache.kept();
            LOG.info("{}: {} decoded images from the cache {}", listing.root(), cache.labels().length, pixels);
            DataCache.markUsed(pixels);
            return new Result(new ImageSet(store, view, cache.labels(), shape, listing.classNames(), description),
                    cache.skipped());
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable image cache {}: {}", index, e.getMessage());
            return null;
        }
    }

    private static void writeCache(LoadOptions options, String key, PixelStore store, CacheIndex index,
                                   CacheOrigin origin) {
        Path dir = options.cacheDir().resolve("images");
        Path pixels = dir.resolve(key + ".u8");
        try {
            Files.createDirectories(dir);
            if (store instanceof ArrayPixelStore) {
                // The builder kept these in memory; write them so the next run decodes nothing.
                AtomicFiles.write(pixels, temp -> {
                    try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
                        byte[] image = new byte[store.imageSize()];
                        for (int i = 0; i < store.count(); i++) {
                            store.read(i, image, 0);
                            out.write(image);
                        }
                    }
                });
            }
            Json.writeFile(dir.resolve(key + ".json"), index);
            origin.writeBeside(pixels);
        } catch (IOException e) {
            LOG.warn("could not cache decoded images in {}: {}", dir, e.getMessage());
        }
    }
}
