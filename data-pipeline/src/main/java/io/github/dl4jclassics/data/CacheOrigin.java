package io.github.dl4jclassics.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cache entry was decoded from, saved beside its pixels as {@code <entry>.source.json}: the cache's file
 * names are hashes, so without it {@code cache} could not say which data set an entry holds or whether its source
 * files changed since (an entry of changed files is never read again: its key holds the old fingerprint).
 *
 * @param dataset     the data set id, e.g. "scene"
 * @param location    the absolute directory the images were read from, or "classpath:FOLDER"
 * @param fingerprint {@link Fingerprints#ofDirectory} of {@code location} when the entry was written; null for the
 *                    class path, whose files do not change
 * @param part        which images, e.g. "train", "test, first 500"
 * @param inputSize   the stored images' size, CxHxW
 * @param images      how many images the entry holds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CacheOrigin(String dataset, String location, String fingerprint, String part, String inputSize,
                          Integer images) {

    private static final Logger LOG = LoggerFactory.getLogger(CacheOrigin.class);
    static final String SUFFIX = ".source.json";

    /** The origin of images read from {@code files} (the fingerprint is taken now, when the entry is written). */
    public static CacheOrigin of(String dataset, DataFiles files, String part) {
        if (files instanceof DataFiles.DirectoryFiles directory) {
            return ofDirectory(dataset, directory.directory(), part);
        }
        return new CacheOrigin(dataset, files.toString(), null, part, null, null);
    }

    public static CacheOrigin ofDirectory(String dataset, Path directory, String part) {
        Path absolute = directory.toAbsolutePath().normalize();
        return new CacheOrigin(dataset, absolute.toString(), Fingerprints.ofDirectory(absolute), part, null, null);
    }

    public CacheOrigin withImages(InputShape shape, int count) {
        return new CacheOrigin(dataset, location, fingerprint, part, shape.toString(), count);
    }

    /** {@code images/KEY.u8} → {@code images/KEY.source.json}. */
    public static Path fileBeside(Path entryFile) {
        String name = entryFile.getFileName().toString();
        int dot = name.indexOf('.');
        return entryFile.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + SUFFIX);
    }

    /** Writes this beside {@code entryFile}; a failure only loses the listing's details, so it is logged. */
    public void writeBeside(Path entryFile) {
        try {
            Json.writeFile(fileBeside(entryFile), this);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not record the source of cache entry {}: {}", entryFile, e.getMessage());
        }
    }

    /** The origin saved beside {@code entryFile}, or null (an entry written before origins were recorded). */
    public static CacheOrigin readBeside(Path entryFile) {
        Path file = fileBeside(entryFile);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.readHistory(file, CacheOrigin.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
