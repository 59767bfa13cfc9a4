package io.github.dl4jclassics.evaluation;

import io.github.dl4jclassics.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix of a split as CSV with class names: a header row {@code true\predicted,NAME,...} and one row
 * per true class. {@code confusion-SPLIT.csv} holds counts, {@code confusion-SPLIT-normalized.csv} the row-normalised
 * fractions.
 */
public final class ConfusionMatrixCsv {

    private ConfusionMatrixCsv() {
    }

    /** The counts file name of a split, e.g. {@code confusion-test.csv}. */
    public static String fileName(String split) {
        return "confusion-" + split + ".csv";
    }

    public static String normalizedFileName(String split) {
        return "confusion-" + split + "-normalized.csv";
    }

    /** Writes the counts to {@code file} atomically. */
    public static void write(Path file, SplitMetrics metrics) throws IOException {
        AtomicFiles.writeString(file, counts(metrics));
    }

    /** Writes the row-normalised matrix to {@code file} atomically. */
    public static void writeNormalized(Path file, SplitMetrics metrics) throws IOException {
        AtomicFiles.writeString(file, normalized(metrics));
    }

    /**
     * Writes both files of each split that was evaluated into {@code directory}
     * ({@code confusion-test.csv}, {@code confusion-test-normalized.csv}, and the same for validation).
     *
     * @return the files written
     */
    public static List<Path> writeAll(Path directory, RunResult result) throws IOException {
        List<Path> written = new ArrayList<>();
        for (String split : List.of("test", "validation")) {
            SplitMetrics metrics = "test".equals(split) ? result.test() : result.validation();
            if (metrics != null && metrics.confusionMatrix() != null) {
                Path counts = directory.resolve(fileName(split));
                Path fractions = directory.resolve(normalizedFileName(split));
                write(counts, metrics);
                writeNormalized(fractions, metrics);
                written.add(counts);
                written.add(fractions);
            }
        }
        return written;
    }

    public static String counts(SplitMetrics metrics) {
        check(metrics);
        StringBuilder csv = header(metrics.classes());
        for (int t = 0; t < metrics.classes().size(); t++) {
            csv.append(quote(metrics.classes().get(t)));
            for (long count : metrics.confusionMatrix()[t]) {
                csv.append(',').append(count);
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    public static String normalized(SplitMetrics metrics) {
        check(metrics);
        StringBuilder csv = header(metrics.classes());
        double[][] fractions = metrics.confusionMatrixNormalized();
        for (int t = 0; t < metrics.classes().size(); t++) {
            csv.append(quote(metrics.classes().get(t)));
            for (double fraction : fractions[t]) {
                // Six decimals: exact enough to recompute counts of splits up to a million examples per class.
                csv.append(',').append(String.format(Locale.ROOT, "%.6f", fraction));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    private static void check(SplitMetrics metrics) {
        int n = metrics.classes() == null ? -1 : metrics.classes().size();
        long[][] m = metrics.confusionMatrix();
        if (m == null || m.length != n) {
            throw new IllegalArgumentException("confusion matrix has " + (m == null ? "no" : m.length)
                    + " rows but there are " + n + " class names");
        }
        for (long[] row : m) {
            if (row.length != n) {
                throw new IllegalArgumentException("confusion matrix row has " + row.length + " columns, expected " + n);
            }
        }
    }

    private static StringBuilder header(List<String> classes) {
        StringBuilder csv = new StringBuilder("true\\predicted");
        for (String name : classes) {
            csv.append(',').append(quote(name));
        }
        return csv.append('\n');
    }

    static String quote(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
