package io.github.dl4jclassics.data.datasets;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.LoadOptions;
import io.github.dl4jclassics.data.Subset;
import io.github.dl4jclassics.data.TrainValidationSplit;
import io.github.dl4jclassics.data.readers.ImageFolderReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A class-per-folder image set. Train and test folders are found by name ({@code seg_train}/{@code seg_test} as
 * Kaggle's Intel Image Classification ships, {@code train}/{@code val} as the notes' Scene-Classification-Dataset-Split
 * repository, or {@code train}/{@code test}), also one level down (Kaggle nests {@code seg_train/seg_train}).
 * The generic "image-folder" set also accepts a single folder of class folders, from which
 * {@code data.testFraction} of the images (seeded by {@code data.testSeed}) are held out as the test set.
 */
public final class ImageFolderDataset implements DatasetSource {

    private static final List<String> TRAIN_NAMES = List.of("seg_train", "train");
    private static final List<String> TEST_NAMES = List.of("seg_test", "test", "val");

    private final String id;
    private final String description;
    private final boolean allowSingleFolder;
    private final String howToGet;

    public ImageFolderDataset(String id, String description, boolean allowSingleFolder, String howToGet) {
        this.id = id;
        this.description = description;
        this.allowSingleFolder = allowSingleFolder;
        this.howToGet = howToGet;
    }

    public static ImageFolderDataset scene() {
        return new ImageFolderDataset("scene",
                "Scene (Intel Image Classification): colour 150x150 photos of 6 classes: buildings, forest, glacier,"
                        + " mountain, sea, street", false,
                "Clone or download https://github.com/ndb796/Scene-Classification-Dataset-Split (train/ and val/),"
                        + " or Kaggle's Intel Image Classification (seg_train/ and seg_test/), or run `download scene`.");
    }

    public static ImageFolderDataset generic() {
        return new ImageFolderDataset("image-folder",
                "Any class-per-folder image set (JPEG/PNG): train/ and test/ folders, or one folder split by data.testFraction",
                true, "Point data.location (or --data-dir) at a folder of <class>/<image> folders.");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    /** The train and test folders under {@code root}, when both exist. */
    static Optional<Path[]> trainTestFolders(Path root) {
        Path train = find(root, TRAIN_NAMES);
        Path test = find(root, TEST_NAMES);
        return train != null && test != null ? Optional.of(new Path[]{train, test}) : Optional.empty();
    }

    private static Path find(Path root, List<String> names) {
        for (String name : names) {
            Path dir = root.resolve(name);
            if (Files.isDirectory(dir)) {
                Path nested = dir.resolve(name);
                return Files.isDirectory(nested) ? nested : dir;
            }
        }
        return null;
    }

    private static Path directory(DataFiles files) {
        try {
            return files.directory();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public boolean isPresent(DataFiles files) {
        Path root = directory(files);
        if (root == null || !Files.isDirectory(root)) {
            return false;
        }
        if (trainTestFolders(root).isPresent()) {
            return true;
        }
        if (!allowSingleFolder) {
            return false;
        }
        // A folder of classes: some sub-folder holds images (so a data directory of other data sets is not one).
        try (var children = Files.list(root)) {
            return children.filter(Files::isDirectory).anyMatch(ImageFolderDataset::holdsImages);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean holdsImages(Path folder) {
        try (var files = Files.list(folder)) {
            return files.anyMatch(file -> Files.isRegularFile(file) && ImageFolderReader.isImage(file));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public ImageSet read(DataFiles files, Subset subset, DataConfig config) throws IOException {
        return read(files, subset, config, LoadOptions.defaults());
    }

    /** The files {@link #read} decodes for a subset, in its order (unreadable ones are skipped only when decoding). */
    public record SelectedFiles(ImageFolderReader.Listing listing, int[] selected, String description) {

        /** The selected files, in order. */
        public List<Path> files() {
            return Arrays.stream(selected).mapToObj(i -> listing.files().get(i)).toList();
        }

        /** Their labels (indices into {@code listing.classNames()}), in order. */
        public int[] labels() {
            return Arrays.stream(selected).map(i -> listing.labels()[i]).toArray();
        }
    }

    @Override
    public ImageSet read(DataFiles files, Subset subset, DataConfig config, LoadOptions options) throws IOException {
        SelectedFiles selected = select(files, subset, config);
        return ImageFolderReader.read(selected.listing(), selected.selected(), options, selected.description(), id)
                .images();
    }

    /** Which files of {@code files} make up {@code subset}: the train and test folders, or the seeded hold-out. */
    public SelectedFiles select(DataFiles files, Subset subset, DataConfig config) {
        Path root = directory(files);
        if (root == null) {
            throw new DataFormatException(id + " must be read from a directory, not " + files);
        }
        Optional<Path[]> folders = trainTestFolders(root);
        String name = id + " " + subset.name().toLowerCase();
        if (folders.isPresent()) {
            ImageFolderReader.Listing train = ImageFolderReader.list(folders.get()[0], null);
            ImageFolderReader.Listing listing = subset == Subset.TRAIN ? train
                    : ImageFolderReader.list(folders.get()[1], train.classNames());
            return new SelectedFiles(listing, IntStream.range(0, listing.size()).toArray(),
                    name + " (" + listing.root() + ")");
        }
        if (!allowSingleFolder) {
            throw new DataFormatException(root + ": no train and test folders (expected one of " + TRAIN_NAMES
                    + " and one of " + TEST_NAMES + ")");
        }
        if (config.testFraction() == null) {
            throw new DataFormatException(root + " has no train/test folders, so it is one folder of classes: set"
                    + " data.testFraction (e.g. 0.2) to hold part of it out as the test set");
        }
        ImageFolderReader.Listing listing = ImageFolderReader.list(root, null);
        long seed = config.testSeed() == null ? 0 : config.testSeed();
        int total = listing.size();
        int testSize = (int) Math.round(total * config.testFraction());
        if (testSize < 1 || testSize >= total) {
            throw new DataFormatException(root + ": testFraction " + config.testFraction() + " of " + total
                    + " images leaves an empty train or test set");
        }
        // The same seeded permutation as the validation split: stable across runs and machines.
        int[] permutation = TrainValidationSplit.permutation(total, seed);
        int[] part = subset == Subset.TRAIN ? Arrays.copyOfRange(permutation, 0, total - testSize)
                : Arrays.copyOfRange(permutation, total - testSize, total);
        Arrays.sort(part);
        return new SelectedFiles(listing, part, name + " (" + root + ", test fraction " + config.testFraction()
                + ", seed " + seed + ")");
    }

    @Override
    public List<String> expectedFiles() {
        return allowSingleFolder ? List.of("train/<class>/*.jpg and test/<class>/*.jpg, or <class>/*.jpg")
                : List.of("seg_train/<class>/*.jpg and seg_test/<class>/*.jpg (or train/ and val/)");
    }

    @Override
    public String howToGet() {
        return howToGet;
    }
}
