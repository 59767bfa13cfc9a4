package io.github.dl4jclassics.data;

import io.github.dl4jclassics.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The cache directory ({@link LoadOptions#defaultCacheDir()}: ~/.dl4j-classics/cache): decoded image folders
 * ({@code images/}), resized sets too large for memory ({@code pixels/}) and training-split statistics
 * ({@code statistics/}). An entry is the files of one key (pixels, index, {@link CacheOrigin}); its last use is the
 * newest modification time of its files, which a cache hit renews ({@link #markUsed}). Nothing here deletes anything
 * unless asked: the cache grows with every data set and input size run, and {@code cache clean} empties it.
 */
public final class DataCache {

    /** Whether an entry's source files are still those it was decoded from. */
    public enum SourceState {
        /** Same fingerprint: a run with the same settings reads this entry. */
        UNCHANGED,
        /** The files changed since: the entry is never read again (its key holds the old fingerprint). */
        CHANGED,
        /** The directory it was decoded from is gone. */
        MISSING,
        /** Written before the cache recorded its entries' sources (or a statistics file, which does not). */
        NOT_RECORDED,
        /** Decoded from the class path (the bundled sample), whose files do not change. */
        NOT_CHECKED
    }

    /**
     * @param id          the first 12 hex digits of the entry's key, what {@code cache clean ID} takes
     * @param kind        "decoded" (images/), "resized" (pixels/), "statistics", or the folder's name
     * @param key         the files' common name up to the first dot
     * @param origin      what it was decoded from; null when not recorded
     * @param description the statistics' own description of their images (null for the others)
     * @param bytes       the size of all its files
     * @param lastUse     the newest modification time of its files (renewed by a cache hit)
     * @param source      whether the source files are still those it was decoded from
     * @param files       every file of the entry (pixels, index, origin, an unfinished .part)
     */
    public record Entry(String id, String kind, String key, CacheOrigin origin, String description, long bytes,
                        Instant lastUse, SourceState source, List<Path> files) {

        /** The data set id: the origin's, else the statistics file's name prefix, else null. */
        public String dataset() {
            if (origin != null && origin.dataset() != null) {
                return origin.dataset();
            }
            int dash = key.lastIndexOf('-');
            return dash > 0 ? key.substring(0, dash) : null;
        }
    }

    private final Path directory;

    public DataCache(Path directory) {
        this.directory = directory;
    }

    /** The cache the runs use: {@code -Ddl4j-classics.cache.dir}, else ~/.dl4j-classics/cache. */
    public static DataCache atDefaultLocation() {
        return new DataCache(LoadOptions.defaultCacheDir());
    }

    public Path directory() {
        return directory;
    }

    /** Renews an entry's last use (its file's modification time); a read-only cache just keeps the old time. */
    public static void markUsed(Path entryFile) {
        try {
            Files.setLastModifiedTime(entryFile, FileTime.from(Instant.now()));
        } catch (IOException | RuntimeException e) {
            // Only the listing's "last use" is affected.
        }
    }

    /** Every entry, ordered by folder and key; an empty list when the cache directory does not exist. */
    public List<Entry> entries() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Map<String, List<Path>> groups = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory, 2)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                Path relative = directory.relativize(file);
                String folder = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
                groups.computeIfAbsent(folder + "/" + stem(file), k -> new ArrayList<>()).add(file);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Map<String, String> fingerprints = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, List<Path>> group : groups.entrySet()) {
            String folder = group.getKey().substring(0, group.getKey().indexOf('/'));
            String key = group.getKey().substring(folder.length() + 1);
            List<Path> files = group.getValue();
            long bytes = 0;
            Instant lastUse = Instant.EPOCH;
            CacheOrigin origin = null;
            String description = null;
            for (Path file : files) {
                long size;
                Instant modified;
                try {
                    size = Files.size(file);
                    modified = Files.getLastModifiedTime(file).toInstant();
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a run's unfinished write renamed or removed meanwhile
                }
                bytes += size;
                lastUse = modified.isAfter(lastUse) ? modified : lastUse;
                if (file.getFileName().toString().endsWith(CacheOrigin.SUFFIX)) {
                    origin = CacheOrigin.readBeside(file);
                } else if (folder.equals("statistics") && file.getFileName().toString().endsWith(".json")) {
                    description = statisticsSource(file);
                }
            }
            entries.add(new Entry(id(key), kind(folder), key, origin, description, bytes, lastUse,
                    sourceState(origin, fingerprints), List.copyOf(files)));
        }
        return entries;
    }

    /** The entries whose id (or key) starts with {@code prefix}: one, or several when the prefix is ambiguous. */
    public static List<Entry> matching(List<Entry> entries, String prefix) {
        List<Entry> found = new ArrayList<>();
        for (Entry entry : entries) {
            if (!prefix.isEmpty() && (entry.id().startsWith(prefix) || entry.key().startsWith(prefix))) {
                found.add(entry);
            }
        }
        return found;
    }

    /** The entries last used before {@code cutoff}. */
    public static List<Entry> lastUsedBefore(List<Entry> entries, Instant cutoff) {
        return entries.stream().filter(e -> e.lastUse().isBefore(cutoff)).toList();
    }

    /** Deletes the entries' files; returns the bytes freed. */
    public long remove(List<Entry> entries) throws IOException {
        long freed = 0;
        for (Entry entry : entries) {
            for (Path file : entry.files()) {
                if (!file.toAbsolutePath().normalize().startsWith(directory.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException(file + " is not inside the cache " + directory);
                }
                long size = Files.isRegularFile(file) ? Files.size(file) : 0;
                if (Files.deleteIfExists(file)) {
                    freed += size;
                }
            }
        }
        return freed;
    }

    public static long totalBytes(List<Entry> entries) {
        return entries.stream().mapToLong(Entry::bytes).sum();
    }

    /** A file's name up to its first dot: KEY.u8, KEY.json, KEY.source.json and KEY.u8.part are one entry. */
    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** The key's hash, shortened: statistics are named DATASET-HASH, the others HASH. */
    private static String id(String key) {
        String hash = key.substring(key.lastIndexOf('-') + 1);
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    private static String kind(String folder) {
        return switch (folder) {
            case "images" -> "decoded";
            case "pixels" -> "resized";
            case "" -> "other";
            default -> folder;
        };
    }

    private static String statisticsSource(Path file) {
        try {
            return Json.readHistory(file, DataPipeline.CachedStatistics.class).source();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Compares the recorded fingerprint with the source's files now (each location walked once per listing). */
    private static SourceState sourceState(CacheOrigin origin, Map<String, String> fingerprints) {
        if (origin == null || origin.location() == null) {
            return SourceState.NOT_RECORDED;
        }
        if (origin.fingerprint() == null) {
            return SourceState.NOT_CHECKED;
        }
        Path location = Path.of(origin.location());
        if (!Files.isDirectory(location)) {
            return SourceState.MISSING;
        }
        String now;
        try {
            now = fingerprints.computeIfAbsent(origin.location(), l -> Fingerprints.ofDirectory(location));
        } catch (UncheckedIOException e) {
            return SourceState.MISSING;
        }
        return now.equals(origin.fingerprint()) ? SourceState.UNCHANGED : SourceState.CHANGED;
    }
}
