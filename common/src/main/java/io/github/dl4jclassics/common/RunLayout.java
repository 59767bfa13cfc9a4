package io.github.dl4jclassics.common;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The layout of a run folder, {@code runs/NAME/YYYYMMDD-HHMMSS/}, for every module that writes or reads one (the
 * runner, {@code evaluate}, reports and comparisons, checkpoints). Scripts rely on these file names: add files,
 * never rename them. A new run folder is never reused, so an earlier run is never overwritten (a second run in the
 * same second gets a "-2" suffix). The pictures are named by the classes that draw them.
 */
public record RunLayout(Path path) {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The resolved manifest the run trained (command-line overrides applied). */
    public static final String MANIFEST = "manifest.json";
    public static final String ENVIRONMENT = "environment.json";
    public static final String EPOCHS = "epochs.csv";
    /** The trained model; also the name of the model inside each checkpoint folder. */
    public static final String MODEL = "model.zip";
    public static final String NORMALIZATION = "normalization.json";
    public static final String RESULT = "result.json";
    public static final String CHECKPOINTS = "checkpoints";

    /** Creates a new, empty run folder under {@code root/name}. */
    public static RunLayout create(Path root, String name, LocalDateTime now) throws IOException {
        Path parent = root.resolve(name);
        Files.createDirectories(parent);
        String stamp = STAMP.format(now);
        for (int attempt = 1; ; attempt++) {
            Path candidate = parent.resolve(attempt == 1 ? stamp : stamp + "-" + attempt);
            try {
                Files.createDirectory(candidate);
                return new RunLayout(candidate);
            } catch (FileAlreadyExistsException e) {
                // Another run started in the same second: take the next suffix.
            }
        }
    }

    public Path file(String name) {
        return path.resolve(name);
    }

    public Path manifest() {
        return file(MANIFEST);
    }

    public Path environment() {
        return file(ENVIRONMENT);
    }

    public Path epochs() {
        return file(EPOCHS);
    }

    public Path model() {
        return file(MODEL);
    }

    public Path normalization() {
        return file(NORMALIZATION);
    }

    public Path result() {
        return file(RESULT);
    }

    public Path checkpoints() {
        return file(CHECKPOINTS);
    }
}
