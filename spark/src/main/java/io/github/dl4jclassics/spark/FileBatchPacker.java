package io.github.dl4jclassics.spark;

import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.Fingerprints;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.SplitConfig;
import io.github.dl4jclassics.data.Subset;
import io.github.dl4jclassics.data.TrainValidationSplit;
import io.github.dl4jclassics.data.datasets.ImageFolderDataset;
import io.github.dl4jclassics.data.readers.ImageFileCheck;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.nd4j.common.loader.FileBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs a run's training, validation and test splits into {@link FileBatch} zips under a folder URI that every
 * executor reads through Hadoop's file systems ({@code file://}, {@code hdfs://}, {@code s3a://}): image folders as
 * the image files' own bytes (JPEG stays JPEG), IDX and CIFAR sets as their decoded images in lossless PNG. Packed
 * once: the folder is named by a fingerprint of the data set's files and of everything that selects the images
 * (labels, split, limits, image size, files per batch), so a second run finds {@code packing.json} and reuses it,
 * while a changed data set gets a new folder.
 *
 * <p>Which images share a zip is fixed here, by a seeded permutation ({@link #PACKING_SEED}, not the run's seed, so
 * runs with other seeds reuse the packing); each epoch then visits the zips in its own order. The packing is done by
 * the driver, one file at a time ({@code prepare-spark-data} does it ahead of time).
 */
public final class FileBatchPacker {

    private static final Logger LOG = LoggerFactory.getLogger(FileBatchPacker.class);

    /** Images per zip: several zips make one worker minibatch when the batch is larger (dl4j-spark re-batches). */
    public static final int DEFAULT_FILES_PER_BATCH = 32;
    /** The permutation that groups training images into zips. */
    static final long PACKING_SEED = 0x5EED_0F_BA7CL;
    static final String INDEX = "packing.json";
    private static final String VERSION = "packing-v1";

    private FileBatchPacker() {
    }

    /** One image to pack: its bytes (file or PNG) and the URI whose parent folder names its class. */
    private interface Item {
        byte[] bytes() throws IOException;

        String uri();
    }

    /**
     * Packs {@code data} (read from {@code files} of {@code source} with {@code config}) under {@code dataUri}, or
     * finds it packed there already.
     */
    public static PackedData pack(DatasetSource source, DataFiles files, DataConfig config, PreparedData data,
                                  String dataUri, int filesPerBatch, Configuration hadoop) throws IOException {
        boolean original = source instanceof ImageFolderDataset;
        InputShape stored = data.train().shape();
        String identity = String.join("|", VERSION, source.id(), source.fingerprint(files), String.valueOf(config.labels()),
                String.valueOf(config.split()), String.valueOf(config.limitTrain()), String.valueOf(config.limitTest()),
                String.valueOf(config.testFraction()), String.valueOf(config.testSeed()), stored.toString(),
                String.valueOf(filesPerBatch), original ? "original" : "png");
        String fingerprint = Fingerprints.sha256(identity);
        String folder = (dataUri.endsWith("/") ? dataUri : dataUri + "/") + source.id() + "-" + fingerprint.substring(0, 16);
        FileSystem fs = FileSystem.get(URI.create(folder), hadoop);
        org.apache.hadoop.fs.Path index = new org.apache.hadoop.fs.Path(folder + "/" + INDEX);
        if (fs.exists(index)) {
            try (InputStream in = fs.open(index)) {
                PackedData packed = Json.mapper().readValue(in, PackedData.class);
                if (fingerprint.equals(packed.fingerprint())) {
                    LOG.info("reusing the packed data in {}: {} / {} / {} images in {} / {} / {} zips", folder,
                            packed.images()[0], packed.images()[1], packed.images()[2], packed.train().size(),
                            packed.validation().size(), packed.test().size());
                    return new PackedData(folder, fingerprint, packed.filesPerBatch(), packed.train(),
                            packed.validation(), packed.test(), packed.images(), packed.format());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} is unreadable ({}): packing again", index, e.getMessage());
            }
        }
        long started = System.nanoTime();
        List<List<Item>> splits = original ? originalFiles(source, files, config, data) : decodedImages(data);
        List<List<String>> written = new ArrayList<>();
        String[] names = {"train", "validation", "test"};
        for (int s = 0; s < 3; s++) {
            List<Item> items = splits.get(s);
            // Training images are grouped by a seeded permutation; evaluation splits keep their order.
            int[] order = s == 0 ? TrainValidationSplit.permutation(items.size(), PACKING_SEED)
                    : IntStream.range(0, items.size()).toArray();
            List<String> zips = new ArrayList<>();
            for (int from = 0, b = 0; from < items.size(); from += filesPerBatch, b++) {
                int to = Math.min(items.size(), from + filesPerBatch);
                List<byte[]> bytes = new ArrayList<>(to - from);
                List<String> uris = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    Item item = items.get(order[i]);
                    bytes.add(item.bytes());
                    uris.add(item.uri());
                }
                String relative = String.format("%s/batch-%06d.zip", names[s], b);
                writeAtomically(fs, folder + "/" + relative, out -> new FileBatch(bytes, uris).writeAsZip(out));
                zips.add(relative);
            }
            written.add(zips);
        }
        int[] images = splits.stream().mapToInt(List::size).toArray();
        PackedData packed = new PackedData(folder, fingerprint, filesPerBatch, written.get(0), written.get(1),
                written.get(2), images, original ? "original" : "png");
        // The index last: a packing interrupted before it is packed again.
        writeAtomically(fs, index.toString(), out -> Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out, packed));
        LOG.info("packed {} / {} / {} images ({}) into {} zips under {} in {} s", images[0], images[1], images[2],
                packed.format(), written.stream().mapToInt(List::size).sum(), folder,
                Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return packed;
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(FileSystem fs, String target, Writer writer) throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(target);
        org.apache.hadoop.fs.Path temp = new org.apache.hadoop.fs.Path(path.getParent(), "." + path.getName() + ".tmp");
        try (OutputStream out = fs.create(temp, true)) {
            writer.write(out);
        }
        fs.delete(path, false);
        if (!fs.rename(temp, path)) {
            throw new IOException("cannot rename " + temp + " to " + path);
        }
    }

    /**
     * The image files behind the run's train, validation and test images, in the order the one-machine reader
     * decoded them: the same listing, the same unreadable files left out, the same limits and validation split.
     */
    private static List<List<Item>> originalFiles(DatasetSource source, DataFiles files, DataConfig config,
                                                  PreparedData data) throws IOException {
        ImageFolderDataset folders = (ImageFolderDataset) source;
        ImageFolderDataset.SelectedFiles trainFiles = folders.select(files, Subset.TRAIN, config);
        ImageFolderDataset.SelectedFiles testFiles = folders.select(files, Subset.TEST, config);
        List<Path> trainAll = readable(trainFiles.files());
        int[] trainLabels = labelsOf(trainFiles, trainAll);
        int full = trainAll.size();
        List<Path> train = trainAll;
        SplitConfig split = config.split();
        if (config.limitTrain() != null && config.limitTrain() < full) {
            train = trainAll.subList(0, config.limitTrain());
            trainLabels = Arrays.copyOf(trainLabels, config.limitTrain());
            split = split == null ? null : split.limitedTo(train.size(), full);
        }
        List<Path> test = readable(testFiles.files());
        int[] testLabels = labelsOf(testFiles, test);
        if (config.limitTest() != null && config.limitTest() < test.size()) {
            test = test.subList(0, config.limitTest());
            testLabels = Arrays.copyOf(testLabels, config.limitTest());
        }
        int[] trainPart = IntStream.range(0, train.size()).toArray();
        int[] validationPart = new int[0];
        if (split != null) {
            int validationSize = split.validationSize(train.size());
            int[] permutation = TrainValidationSplit.permutation(train.size(), split.seed());
            trainPart = Arrays.copyOfRange(permutation, 0, train.size() - validationSize);
            validationPart = Arrays.copyOfRange(permutation, train.size() - validationSize, train.size());
            Arrays.sort(trainPart);
            Arrays.sort(validationPart);
        }
        List<List<Item>> splits = List.of(fileItems(train, trainLabels, trainPart, data.train(), "train"),
                fileItems(train, trainLabels, validationPart, data.validation(), "validation"),
                fileItems(test, testLabels, IntStream.range(0, test.size()).toArray(), data.test(), "test"));
        return splits;
    }

    private static List<Path> readable(List<Path> files) throws IOException {
        List<Path> kept = new ArrayList<>(files.size());
        for (Path file : files) {
            if (ImageFileCheck.problem(file) == null) {
                kept.add(file);
            }
        }
        return kept;
    }

    private static int[] labelsOf(ImageFolderDataset.SelectedFiles selected, List<Path> kept) {
        List<Path> all = selected.files();
        int[] labels = selected.labels();
        int[] result = new int[kept.size()];
        for (int i = 0, j = 0; i < kept.size(); i++) {
            while (!all.get(j).equals(kept.get(i))) {
                j++;
            }
            result[i] = labels[j];
        }
        return result;
    }

    private static List<Item> fileItems(List<Path> files, int[] labels, int[] part, ImageSet decoded, String split) {
        int expected = decoded == null ? 0 : decoded.size();
        int[] partLabels = Arrays.stream(part).map(i -> labels[i]).toArray();
        if (part.length != expected || decoded != null && !Arrays.equals(partLabels, decoded.labels())) {
            throw new IllegalStateException("the " + split + " split's files (" + part.length + ") do not match the "
                    + expected + " images the run decoded (an image OpenCV could not decode is left out by the run"
                    + " but not here?): remove unreadable images from the data set, or use --spark-data driver");
        }
        List<Item> items = new ArrayList<>(part.length);
        for (int i : part) {
            Path file = files.get(i);
            items.add(new Item() {
                @Override
                public byte[] bytes() throws IOException {
                    return Files.readAllBytes(file);
                }

                @Override
                public String uri() {
                    return file.toUri().toString();
                }
            });
        }
        return items;
    }

    /**
     * IDX and CIFAR: the decoded (and resized) images of each split as PNG, named {@code /split/classIndex/index.png}
     * (an index: class names such as Fashion-MNIST's "T-shirt/top" cannot be folder names).
     */
    private static List<List<Item>> decodedImages(PreparedData data) {
        return List.of(pngItems(data.train(), "train"), pngItems(data.validation(), "validation"),
                pngItems(data.test(), "test"));
    }

    private static List<Item> pngItems(ImageSet images, String split) {
        if (images == null) {
            return List.of();
        }
        List<Item> items = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            int index = i;
            items.add(new Item() {
                @Override
                public byte[] bytes() {
                    return png(images, index);
                }

                @Override
                public String uri() {
                    try {
                        return new URI("packed", null, "/" + split + "/" + images.label(index) + "/" + index + ".png",
                                null).toString();
                    } catch (URISyntaxException e) {
                        throw new IllegalArgumentException(e);
                    }
                }
            });
        }
        return items;
    }

    /** Image {@code index} as a lossless PNG: grey for one channel, RGB for three. */
    static byte[] png(ImageSet images, int index) {
        InputShape shape = images.shape();
        byte[] pixels = images.imageBytes(index);
        int plane = shape.height() * shape.width();
        BufferedImage image;
        if (shape.channels() == 1) {
            image = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, shape.width(), shape.height(), pixels);
        } else if (shape.channels() == 3) {
            image = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
            int[] rgb = new int[plane];
            for (int p = 0; p < plane; p++) {
                rgb[p] = (pixels[p] & 0xFF) << 16 | (pixels[plane + p] & 0xFF) << 8 | (pixels[2 * plane + p] & 0xFF);
            }
            image.setRGB(0, 0, shape.width(), shape.height(), rgb, 0, shape.width());
        } else {
            throw new IllegalArgumentException(images.description() + ": cannot pack " + shape.channels()
                    + "-channel images as PNG");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(plane * shape.channels() / 2 + 128);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
