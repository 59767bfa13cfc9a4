package io.github.dl4jclassics.data;

import io.github.dl4jclassics.data.store.PixelStoreBuilder;
import io.github.dl4jclassics.common.InputShape;
import java.nio.file.Path;

/**
 * How a data set is loaded, beyond its manifest section.
 *
 * @param resizeTo     height and width images are resized to at load time (channels ignored); null keeps them
 * @param cacheDir     where decoded/resized images and statistics are cached; null disables the disk caches
 * @param memoryBudget bytes of decoded images kept on the heap; larger sets go to a memory-mapped cache file
 */
public record LoadOptions(InputShape resizeTo, Path cacheDir, long memoryBudget) {

    /** The cache directory used when none is given: {@code -Ddl4j-classics.cache.dir}, else ~/.dl4j-classics/cache. */
    public static Path defaultCacheDir() {
        String property = System.getProperty("dl4j-classics.cache.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return Path.of(System.getProperty("user.home"), ".dl4j-classics", "cache");
    }

    public static LoadOptions defaults() {
        return new LoadOptions(null, defaultCacheDir(), PixelStoreBuilder.defaultMemoryBudget());
    }
}
