package io.github.dl4jclassics.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where the end-to-end tests find the checkout and the shared real data. */
final class Paths {

    private Paths() {
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    }

    static Path manifests() {
        return projectRoot().resolve("experiments/manifests");
    }

    /** The real Fashion-MNIST beside the checkout ({@code ../shared/datasets/fashion-mnist}); skips the test if absent. */
    static Path sharedFashionMnist() {
        Path dir = Path.of(System.getProperty("shared.dir", projectRoot().resolve("../shared").toString()))
                .resolve("datasets/fashion-mnist").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")),
                "real Fashion-MNIST not found at " + dir);
        return dir;
    }
}
