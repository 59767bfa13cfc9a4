package io.github.dl4jclassics.data.readers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.Fingerprints;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.LoadOptions;
import io.github.dl4jclassics.data.store.ArrayPixelStore;
import io.github.dl4jclassics.data.store.MappedPixelStore;
import io.github.dl4jclassics.data.store.PixelStore;
import io.github.dl4jclassics.data.store.PixelStoreBuilder;
import io.github.dl4jclassics.data.transforms.Bilinear;
import io.github.dl4jclassics.zoo.InputShape;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads class-per-folder image sets ({@code root/<class>/*.jpg|png}): class names are the folder names in
 * sorted order, labels their indices. Images are decoded with {@code javax.imageio} (which yields RGB; no
 * BGR/RGB swap as with DataVec's OpenCV loader), converted to 3-channel RGB, resized bilinearly while loading,
 * and stored once as bytes: decoding runs in parallel, and the decoded set is cached on disk so later runs
 * decode no image at all. An unreadable image is skipped with a warning and counted.
 */
public final class ImageFolderReader {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderReader.class);
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        ImageIO.setUseCache(false); // decode in memory, no temporary files
    }

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

    /**
     * Decodes the listed files at {@code which} (null: all), resized to {@code options.resizeTo()} (height and width)
     * or, without a size, at their own size, which must then be the same for all.
     */
    public static Result read(Listing listing, int[] which, LoadOptions options, String description) throws IOException {
        int[] selected = which != null ? which : IntStream.range(0, listing.size()).toArray();
        InputShape target = options.resizeTo() == null ? null
                : new InputShape(3, options.resizeTo().height(), options.resizeTo().width());
        String key = null;
        if (options.cacheDir() != null) {
            StringBuilder identity = new StringBuilder("image-folder-v1|").append(target).append('|')
                    .append(Fingerprints.ofDirectory(listing.root())).append('|').append(Arrays.hashCode(selected));
            key = Fingerprints.sha256(identity.toString());
            Result cached = loadCache(options, key, listing, description);
            if (cached != null) {
                return cached;
            }
        }
        if (target == null) {
            target = nativeShape(listing, selected);
        }
        InputShape shape = target;
        Path diskFile = options.cacheDir() == null ? null : options.cacheDir().resolve("images").resolve(key + ".u8");
        ConcurrentLinkedQueue<Integer> failed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> skipped = new ConcurrentLinkedQueue<>();
        PixelStore store;
        try (PixelStoreBuilder builder = PixelStoreBuilder.create(selected.length, shape.size(), options.memoryBudget(),
                diskFile)) {
            IntStream.range(0, selected.length).parallel().forEach(i -> {
                Path file = listing.files().get(selected[i]);
                byte[] image;
                try {
                    image = decode(file, shape.height(), shape.width(), options.resizeTo() == null);
                } catch (IOException | RuntimeException e) {
                    if (e instanceof DataFormatException format) {
                        throw format;
                    }
                    failed.add(i);
                    skipped.add(file + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
                    image = new byte[shape.size()];
                }
                builder.put(i, image, 0);
            });
            store = builder.finish();
        }
        boolean[] bad = new boolean[selected.length];
        failed.forEach(i -> bad[i] = true);
        int[] kept = IntStream.range(0, selected.length).filter(i -> !bad[i]).toArray();
        int[] labels = Arrays.stream(kept).map(i -> listing.labels()[selected[i]]).toArray();
        List<String> skippedList = skipped.stream().sorted().toList();
        if (!skippedList.isEmpty()) {
            LOG.warn("{}: skipped {} unreadable image(s) of {}: {}", listing.root(), skippedList.size(), selected.length,
                    skippedList.size() <= 5 ? skippedList : skippedList.subList(0, 5) + " ...");
        }
        checkEveryClassHasImages(listing, Arrays.stream(selected).map(i -> listing.labels()[i]).toArray(), labels);
        if (key != null) {
            writeCache(options, key, store, new CacheIndex(shape.toString(), kept, labels, skippedList));
        }
        int[] view = kept.length == selected.length ? null : kept;
        return new Result(new ImageSet(store, view, labels, shape, listing.classNames(), description), skippedList);
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

    /** The size of the first readable image, when no resize was configured. */
    private static InputShape nativeShape(Listing listing, int[] selected) {
        for (int index : selected) {
            try {
                BufferedImage image = ImageIO.read(listing.files().get(index).toFile());
                if (image != null) {
                    return new InputShape(3, image.getHeight(), image.getWidth());
                }
            } catch (IOException | RuntimeException ignored) {
                // unreadable: the decoding pass skips and reports it
            }
        }
        throw new DataFormatException(listing.root() + ": none of the " + selected.length + " images could be read");
    }

    /**
     * One image as 3-channel RGB planes of {@code height x width}. With {@code exactSize} the image must already
     * have that size (no resize configured), otherwise it is resized bilinearly.
     */
    public static byte[] decode(Path file, int height, int width, boolean exactSize) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("not a readable image");
        }
        int h = image.getHeight();
        int w = image.getWidth();
        if (exactSize && (h != height || w != width)) {
            throw new DataFormatException(file + " is " + w + "x" + h + " (width x height) but the other images are "
                    + width + "x" + height + "; add {\"type\": \"resize\"} to data.transforms");
        }
        byte[] planes = toRgbPlanes(image);
        if (h == height && w == width) {
            return planes;
        }
        byte[] resized = new byte[3 * height * width];
        Bilinear.resize(planes, 0, 3, h, w, resized, 0, height, width);
        return resized;
    }

    /** RGB planes (R, then G, then B) of any image type; fast paths for JPEG's BGR bytes and grey. */
    static byte[] toRgbPlanes(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        byte[] out = new byte[3 * plane];
        int type = image.getType();
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY)
                && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1 && buffer.getSize() == plane * (type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 1)) {
            byte[] data = buffer.getData();
            if (type == BufferedImage.TYPE_3BYTE_BGR) {
                for (int i = 0, j = 0; i < plane; i++, j += 3) {
                    out[i] = data[j + 2];
                    out[plane + i] = data[j + 1];
                    out[2 * plane + i] = data[j];
                }
            } else {
                System.arraycopy(data, 0, out, 0, plane);
                System.arraycopy(data, 0, out, plane, plane);
                System.arraycopy(data, 0, out, 2 * plane, plane);
            }
            return out;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            out[i] = (byte) (p >> 16);
            out[plane + i] = (byte) (p >> 8);
            out[2 * plane + i] = (byte) p;
        }
        return out;
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
            CacheIndex cache = JSON.readValue(index.toFile(), CacheIndex.class);
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
            return new Result(new ImageSet(store, view, cache.labels(), shape, listing.classNames(), description),
                    cache.skipped());
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable image cache {}: {}", index, e.getMessage());
            return null;
        }
    }

    private static void writeCache(LoadOptions options, String key, PixelStore store, CacheIndex index) {
        Path dir = options.cacheDir().resolve("images");
        Path pixels = dir.resolve(key + ".u8");
        try {
            Files.createDirectories(dir);
            if (store instanceof ArrayPixelStore) {
                // The builder kept these in memory; write them so the next run decodes nothing.
                Path temp = Files.createTempFile(dir, key, ".tmp");
                try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
                    byte[] image = new byte[store.imageSize()];
                    for (int i = 0; i < store.count(); i++) {
                        store.read(i, image, 0);
                        out.write(image);
                    }
                }
                Files.move(temp, pixels, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Path temp = Files.createTempFile(dir, key, ".json.tmp");
            JSON.writeValue(temp.toFile(), index);
            Files.move(temp, dir.resolve(key + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not cache decoded images in {}: {}", dir, e.getMessage());
        }
    }
}
