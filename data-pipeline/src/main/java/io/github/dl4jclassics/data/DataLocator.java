package io.github.dl4jclassics.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a data set's files. Search order: the manifest's own location (when it names one and no data
 * directory was given), then {@code --data-dir}, the {@code data.dir} system property, the
 * {@code DL4J_CLASSICS_DATA} environment variable, {@code ~/.dl4j-classics/data}, and Debian's
 * {@code /usr/share/datasets}. A data directory may hold the data set's files directly or in a folder named
 * after the data set id.
 */
public final class DataLocator {

    public static final String PROPERTY = "data.dir";
    public static final String ENVIRONMENT = "DL4J_CLASSICS_DATA";

    private final Path commandLineDir;
    private final Map<String, String> environment;
    private final String propertyValue;
    private final Path home;

    public DataLocator(Path commandLineDir) {
        this(commandLineDir, System.getenv(), System.getProperty(PROPERTY), Path.of(System.getProperty("user.home")));
    }

    DataLocator(Path commandLineDir, Map<String, String> environment, String propertyValue, Path home) {
        this.commandLineDir = commandLineDir;
        this.environment = environment;
        this.propertyValue = propertyValue;
        this.home = home;
    }

    /** The base directories searched, in order (the manifest's own location is tried before these). */
    public List<Path> baseDirectories() {
        List<Path> bases = new ArrayList<>();
        if (commandLineDir != null) {
            bases.add(commandLineDir);
        }
        if (propertyValue != null && !propertyValue.isBlank()) {
            bases.add(Path.of(propertyValue));
        }
        String env = environment.get(ENVIRONMENT);
        if (env != null && !env.isBlank()) {
            bases.add(Path.of(env));
        }
        bases.add(home.resolve(".dl4j-classics").resolve("data"));
        bases.add(Path.of("/usr/share/datasets"));
        return bases;
    }

    /**
     * The files of {@code source}; {@code manifestLocation} (may be null) is used only when no data directory
     * was given on the command line, so {@code --data-dir} always wins over a manifest's default sample.
     */
    public DataFiles locate(DatasetSource source, String manifestLocation) {
        // A folder the user named that does not exist is a mistake to report, not a reason to look elsewhere.
        for (Explicit explicit : explicitDirectories()) {
            if (!Files.isDirectory(explicit.path())) {
                throw new DataNotFoundException(source.id(), List.of(explicit.path()), explicit.name() + " "
                        + explicit.path() + " does not exist" + (Files.exists(explicit.path()) ? " as a folder" : "")
                        + ". Give the folder that holds the files (" + String.join(", ", source.expectedFiles())
                        + ") or a folder with a '" + source.id() + "' sub-folder, or leave " + explicit.name()
                        + " out to search the default places.");
            }
        }
        List<Path> searched = new ArrayList<>();
        if (manifestLocation != null && commandLineDir == null) {
            DataFiles files = DataFiles.of(manifestLocation);
            if (source.isPresent(files)) {
                return files;
            }
            searched.add(Path.of(manifestLocation));
        }
        for (Path base : baseDirectories()) {
            for (Path candidate : List.of(base, base.resolve(source.id()))) {
                Optional<DataFiles> found = tryDirectory(source, candidate);
                if (found.isPresent()) {
                    return found.get();
                }
                searched.add(candidate);
            }
        }
        throw new DataNotFoundException(source.id(), searched, "Expected files: " + String.join(", ", source.expectedFiles())
                + ". " + source.howToGet() + " Then pass --data-dir DIR, set -D" + PROPERTY + "=DIR or "
                + ENVIRONMENT + "=DIR, or put them in " + home.resolve(".dl4j-classics/data/" + source.id()) + ".");
    }

    private record Explicit(String name, Path path) {
    }

    /** The data folders a user named (--data-dir, -Ddata.dir), as opposed to the default places. */
    private List<Explicit> explicitDirectories() {
        List<Explicit> named = new ArrayList<>();
        if (commandLineDir != null) {
            named.add(new Explicit("--data-dir", commandLineDir));
        }
        if (propertyValue != null && !propertyValue.isBlank()) {
            named.add(new Explicit("-D" + PROPERTY, Path.of(propertyValue)));
        }
        return named;
    }

    private static Optional<DataFiles> tryDirectory(DatasetSource source, Path candidate) {
        if (!Files.isDirectory(candidate)) {
            return Optional.empty();
        }
        DataFiles files = DataFiles.of(candidate);
        return source.isPresent(files) ? Optional.of(files) : Optional.empty();
    }
}
