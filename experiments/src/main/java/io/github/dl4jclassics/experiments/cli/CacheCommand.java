package io.github.dl4jclassics.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.CacheOrigin;
import io.github.dl4jclassics.data.DataCache;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cache}: the decoded-image cache (~/.dl4j-classics/cache, or {@code -Ddl4j-classics.cache.dir}) entry by
 * entry, and {@code cache clean}. The runs only ever add to it; this is where a user sees and frees that space.
 */
@Command(name = "cache", description = {"List the decoded-image cache (~/.dl4j-classics/cache): each entry's data set, "
        + "source, input size, bytes, last use, and whether its source files changed since.",
        "Free space with: cache clean --all | --older-than DAYS | ID"},
        subcommands = CacheCommand.Clean.class)
final class CacheCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        DataCache cache = DataCache.atDefaultLocation();
        List<DataCache.Entry> entries = cache.entries();
        System.out.print(json ? Json.write(toJson(cache.directory(), entries)) + "\n" : table(cache.directory(), entries));
        return 0;
    }

    static String table(Path directory, List<DataCache.Entry> entries) {
        StringBuilder out = new StringBuilder();
        if (entries.isEmpty()) {
            return out.append("Cache ").append(directory).append(": empty\n").toString();
        }
        out.append(String.format(Locale.ROOT, "Cache %s: %d entr%s, %s%n", directory, entries.size(),
                entries.size() == 1 ? "y" : "ies", size(DataCache.totalBytes(entries))));
        out.append(String.format(Locale.ROOT, "  %-12s  %-10s  %-20s  %-10s  %7s  %10s  %-16s  %s%n", "id", "kind",
                "data set", "input", "images", "size", "last use", "source"));
        for (DataCache.Entry e : entries) {
            CacheOrigin origin = e.origin();
            out.append(String.format(Locale.ROOT, "  %-12s  %-10s  %-20s  %-10s  %7s  %10s  %-16s  %s%n", e.id(),
                    e.kind(), dash(e.dataset()), dash(origin == null ? null : origin.inputSize()),
                    origin == null || origin.images() == null ? "–" : String.format(Locale.ROOT, "%,d", origin.images()),
                    size(e.bytes()), WHEN.format(e.lastUse()), sourceText(e.source())));
            String from = origin != null ? origin.location() + (origin.part() == null ? "" : " (" + origin.part() + ")")
                    : e.description();
            if (from != null) {
                out.append(String.format(Locale.ROOT, "  %-12s  from %s%n", "", from));
            }
        }
        out.append("Remove entries with: cache clean ID | --older-than DAYS | --all\n");
        return out.toString();
    }

    static ObjectNode toJson(Path directory, List<DataCache.Entry> entries) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("directory", directory.toString());
        root.put("totalBytes", DataCache.totalBytes(entries));
        ArrayNode list = root.putArray("entries");
        for (DataCache.Entry e : entries) {
            ObjectNode node = list.addObject();
            node.put("id", e.id());
            node.put("kind", e.kind());
            node.put("dataset", e.dataset());
            CacheOrigin origin = e.origin();
            node.put("location", origin == null ? null : origin.location());
            node.put("part", origin == null ? e.description() : origin.part());
            node.put("inputSize", origin == null ? null : origin.inputSize());
            if (origin != null && origin.images() != null) {
                node.put("images", origin.images());
            } else {
                node.putNull("images");
            }
            node.put("bytes", e.bytes());
            node.put("lastUse", e.lastUse().toString());
            node.put("source", e.source().name());
            ArrayNode files = node.putArray("files");
            e.files().forEach(f -> files.add(f.toString()));
        }
        return root;
    }

    private static String sourceText(DataCache.SourceState state) {
        return switch (state) {
            case UNCHANGED -> "unchanged";
            case CHANGED -> "CHANGED since: never read again";
            case MISSING -> "source gone";
            case NOT_RECORDED -> "not recorded";
            case NOT_CHECKED -> "class path";
        };
    }

    private static String dash(String text) {
        return text == null ? "–" : text;
    }

    /** Decimal units, as the README's sizes. */
    static String size(long bytes) {
        if (bytes < 1_000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** 30 rather than 30.0; 0.5 as it is. */
    private static String days(double days) {
        return days == Math.rint(days) ? String.valueOf((long) days) : String.valueOf(days);
    }

    @Command(name = "clean", description = {"Delete cache entries: all of them, those last used more than DAYS days "
            + "ago, or the one with this id (a prefix of it is enough).",
            "A later run decodes what it needs again."})
    static final class Clean implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--all", description = "Delete every entry.")
        boolean all;

        @Option(names = "--older-than", paramLabel = "DAYS", description = "Delete the entries last used more than DAYS days ago.")
        Double olderThanDays;

        @Parameters(arity = "0..1", paramLabel = "ID", description = "The id of an entry, as `cache` lists it.")
        String id;

        @Override
        public Integer call() throws IOException {
            int given = (all ? 1 : 0) + (olderThanDays != null ? 1 : 0) + (id != null ? 1 : 0);
            if (given != 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), given == 0
                        ? "cache clean needs one of: --all, --older-than DAYS, or an entry ID (`cache` lists them)"
                        : "cache clean takes only one of: --all, --older-than DAYS, an entry ID");
            }
            if (olderThanDays != null && (olderThanDays.isNaN() || olderThanDays < 0)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--older-than must be a number of days >= 0, not " + olderThanDays);
            }
            DataCache cache = DataCache.atDefaultLocation();
            List<DataCache.Entry> entries = cache.entries();
            List<DataCache.Entry> chosen;
            if (all) {
                chosen = entries;
            } else if (olderThanDays != null) {
                Instant cutoff = Instant.now().minus(Duration.ofSeconds(Math.round(olderThanDays * 86_400)));
                chosen = DataCache.lastUsedBefore(entries, cutoff);
            } else {
                chosen = DataCache.matching(entries, id);
                if (chosen.isEmpty()) {
                    throw new IllegalArgumentException("no cache entry '" + id + "' in " + cache.directory()
                            + " (`cache` lists the ids)");
                }
                if (chosen.size() > 1) {
                    throw new IllegalArgumentException("'" + id + "' matches " + chosen.size() + " cache entries ("
                            + String.join(", ", chosen.stream().map(DataCache.Entry::id).toList())
                            + "): give more of the id");
                }
            }
            long freed = cache.remove(chosen);
            if (chosen.isEmpty()) {
                System.out.println("Nothing to delete in " + cache.directory()
                        + (olderThanDays != null ? " last used more than " + days(olderThanDays) + " days ago" : ""));
            } else {
                System.out.printf(Locale.ROOT, "Deleted %d entr%s (%s) from %s: %s%n", chosen.size(),
                        chosen.size() == 1 ? "y" : "ies", size(freed), cache.directory(),
                        String.join(", ", chosen.stream().map(DataCache.Entry::id).toList()));
            }
            return 0;
        }
    }
}
