package io.github.dl4jclassics.data.download;

import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each data set is published, with the checksums its publisher documents. Only checksums we could
 * confirm are listed: MD5 where the publisher documents MD5 (CIFAR's page, MNIST and Fashion-MNIST as
 * torchvision and the Fashion-MNIST README carry them), none for the scene set (GitHub's generated archives are
 * not byte-stable; it is checked by its folder structure after extraction). No SHA-256 is listed that we could
 * not compute from the official file ourselves.
 */
public final class DatasetDownloads {

    private static final String CIFAR = "https://www.cs.toronto.edu/~kriz/";
    private static final String MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    private static final String FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    /** The notes' repository, pinned to the commit that added the images (the branch may move). */
    private static final String SCENE =
            "https://github.com/ndb796/Scene-Classification-Dataset-Split/archive/063473edcb62eb9269132da1e01c6de62e95fa8c.zip";

    private static final DatasetDownloads STANDARD = new DatasetDownloads(Map.of(
            "cifar10", List.of(new RemoteFile(CIFAR + "cifar-10-binary.tar.gz", "cifar-10-binary.tar.gz", null, null,
                    "c32a1d4ab5d03f1284b67883e8d87530", null)),
            "cifar100", List.of(new RemoteFile(CIFAR + "cifar-100-binary.tar.gz", "cifar-100-binary.tar.gz", null, null,
                    "03b5dce01913d631647c71ecec9e9cb8", null)),
            "mnist", List.of(
                    idx(MNIST, "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                    idx(MNIST, "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                    idx(MNIST, "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                    idx(MNIST, "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")),
            "fashion-mnist", List.of(
                    idx(FASHION, "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    idx(FASHION, "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                    idx(FASHION, "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                    idx(FASHION, "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310")),
            "scene", List.of(new RemoteFile(SCENE, "scene-classification-dataset-split.zip", null, null, null, 1))));

    private static RemoteFile idx(String base, String name, String md5) {
        return new RemoteFile(base + name, name, null, null, md5, null);
    }

    private final Map<String, List<RemoteFile>> files;

    public DatasetDownloads(Map<String, List<RemoteFile>> files) {
        this.files = new LinkedHashMap<>(files);
    }

    public static DatasetDownloads standard() {
        return STANDARD;
    }

    public boolean has(String datasetId) {
        return files.containsKey(datasetId);
    }

    public List<RemoteFile> files(String datasetId) {
        List<RemoteFile> list = files.get(datasetId);
        if (list == null) {
            throw new IllegalArgumentException("no download known for data set '" + datasetId + "'; downloadable: "
                    + String.join(", ", files.keySet().stream().sorted().toList()));
        }
        return list;
    }

    /**
     * Fetches, verifies and (for archives that must be unpacked) safely extracts data set {@code source} into
     * {@code dataDir/<id>}, unless its files are already there. Returns that folder.
     */
    public Path fetch(DatasetSource source, Path dataDir, Downloader downloader) throws IOException {
        Path folder = dataDir.resolve(source.id());
        if (Files.isDirectory(folder) && source.isPresent(DataFiles.of(folder))) {
            return folder;
        }
        for (RemoteFile file : files(source.id())) {
            Path fetched = downloader.fetch(file, folder);
            if (file.extractStrip() != null) {
                SafeExtractor.extract(fetched, folder, file.extractStrip());
                Files.delete(fetched); // extracted and checked: the archive is no longer needed
            }
        }
        if (!source.isPresent(DataFiles.of(folder))) {
            throw new DataFormatException(folder + ": downloaded " + source.id() + " but its files are not as expected ("
                    + String.join(", ", source.expectedFiles()) + ")");
        }
        return folder;
    }

    public Path fetch(String datasetId, Path dataDir) throws IOException {
        return fetch(DatasetRegistry.standard().get(datasetId), dataDir, new Downloader());
    }
}
