package io.github.dl4jclassics.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A place data files are read from: a directory, or a folder of the class path (for the small sample
 * that ships inside the jar). Locations are written {@code /some/dir} or {@code classpath:datasets/name}.
 */
public interface DataFiles {

    String CLASSPATH_PREFIX = "classpath:";

    boolean exists(String name);

    InputStream open(String name) throws IOException;

    /** A readable name of file {@code name}, for messages. */
    String describe(String name);

    /** The directory, when the files are on disk (readers of folder trees need it). */
    Path directory();

    static DataFiles of(String location) {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            return new ClasspathFiles(location.substring(CLASSPATH_PREFIX.length()));
        }
        return new DirectoryFiles(Path.of(location));
    }

    static DataFiles of(Path directory) {
        return new DirectoryFiles(directory);
    }

    record DirectoryFiles(Path directory) implements DataFiles {
        @Override
        public boolean exists(String name) {
            return Files.isRegularFile(directory.resolve(name));
        }

        @Override
        public InputStream open(String name) throws IOException {
            return Files.newInputStream(directory.resolve(name));
        }

        @Override
        public String describe(String name) {
            return directory.resolve(name).toString();
        }

        @Override
        public String toString() {
            return directory.toString();
        }
    }

    record ClasspathFiles(String folder) implements DataFiles {
        public ClasspathFiles {
            folder = folder.replaceAll("^/+", "").replaceAll("/+$", "");
        }

        @Override
        public boolean exists(String name) {
            return ClasspathFiles.class.getClassLoader().getResource(folder + "/" + name) != null;
        }

        @Override
        public InputStream open(String name) throws IOException {
            InputStream in = ClasspathFiles.class.getClassLoader().getResourceAsStream(folder + "/" + name);
            if (in == null) {
                throw new IOException("not on the class path: " + describe(name));
            }
            return in;
        }

        @Override
        public String describe(String name) {
            return CLASSPATH_PREFIX + folder + "/" + name;
        }

        @Override
        public Path directory() {
            throw new UnsupportedOperationException(this + " is on the class path, not a directory");
        }

        @Override
        public String toString() {
            return CLASSPATH_PREFIX + folder;
        }
    }
}
