package io.github.dl4jclassics.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Copies the small files of the real sample run (test resources) into a temporary run folder. */
public final class TestFiles {

    public static final List<String> SAMPLE_FILES = List.of("result.json", "epochs.csv", "manifest.json", "environment.json");

    private TestFiles() {
    }

    public static Path sampleRun(Path parent, String name) throws IOException {
        Path run = parent.resolve(name);
        Files.createDirectories(run);
        for (String file : SAMPLE_FILES) {
            try (InputStream in = TestFiles.class.getResourceAsStream("/sample-run/lenet5-fashion-mnist-sample/" + file)) {
                if (in == null) {
                    throw new IOException("test resource sample-run/lenet5-fashion-mnist-sample/" + file + " is missing");
                }
                Files.copy(in, run.resolve(file));
            }
        }
        return run;
    }
}
