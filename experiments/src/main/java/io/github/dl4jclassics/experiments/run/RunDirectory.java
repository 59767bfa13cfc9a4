package io.github.dl4jclassics.experiments.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code runs/NAME/YYYYMMDD-HHMMSS/}: one folder per run, never reused, so an earlier run is never
 * overwritten (a second run in the same second gets a "-2" suffix).
 */
public record RunDirectory(Path path) {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public static final String MANIFEST = "manifest.json";
    public static final String ENVIRONMENT = "environment.json";
    public static final String EPOCHS = "epochs.csv";
    public static final String MODEL = "model.zip";
    public static final String NORMALIZATION = "normalization.json";
    public static final String RESULT = "result.json";
    public static final String CHECKPOINTS = "checkpoints";

    /** Creates a new, empty run folder under {@code root/name}. */
    public static RunDirectory create(Path root, String name, LocalDateTime now) throws IOException {
        Path parent = root.resolve(name);
        Files.createDirectories(parent);
        String stamp = STAMP.format(now);
        for (int attempt = 1; ; attempt++) {
            Path candidate = parent.resolve(attempt == 1 ? stamp : stamp + "-" + attempt);
            try {
                Files.createDirectory(candidate);
                return new RunDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                // Another run started in the same second: take the next suffix.
            }
        }
    }

    public Path file(String name) {
        return path.resolve(name);
    }
}
