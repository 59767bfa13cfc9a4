package io.github.dl4jclassics.data;

import java.io.IOException;
import java.util.List;

/** A data set known by id: which files it needs, how to read them, and how a user gets them. */
public interface DatasetSource {

    /** The id used in manifests, e.g. "fashion-mnist". */
    String id();

    String description();

    /** Whether the data set's files are at {@code files}. */
    boolean isPresent(DataFiles files);

    /** Reads one subset, validating the files; failures name the file and the problem. */
    ImageSet read(DataFiles files, Subset subset, DataConfig config) throws IOException;

    /**
     * Reads one subset with load options. Sources of variable-size images (image folders) resize while decoding
     * and cache decoded images; fixed-size sources ignore the options (the pipeline resizes them afterwards).
     */
    default ImageSet read(DataFiles files, Subset subset, DataConfig config, LoadOptions options) throws IOException {
        return read(files, subset, config);
    }

    /** Identity of the files, for cache keys: changes when any file changes. */
    default String fingerprint(DataFiles files) {
        return Fingerprints.of(files);
    }

    /** The files (or folders) users must place, for "not found" messages. */
    List<String> expectedFiles();

    /** One or two sentences telling a user where to get the files. */
    String howToGet();
}
