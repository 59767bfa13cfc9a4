package io.github.dl4jclassics.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One row of {@code epochs.csv}. Epochs are numbered from 1 as the notes print them. Accuracies are fractions;
 * NaN where not measured (no validation split, or mixed labels during training).
 *
 * @param seconds the epoch's training and validation time (not the per-epoch test evaluation, so that runs with and
 *                without it compare)
 * @param test    the test split evaluated after the epoch when the manifest asks for it
 *                ({@code evaluation.perEpoch: ["test"]}), for the curves only: never used to choose an epoch or a
 *                rate; null when not evaluated
 */
public record EpochRecord(
        int epoch,
        double learningRate,
        double trainLoss,
        double trainAccuracy,
        double validationLoss,
        double validationTop1,
        double validationTop5,
        double seconds,
        @JsonInclude(JsonInclude.Include.NON_NULL) SplitScores test) {

    /** The columns every epochs.csv has, in this order (scripts and tests read them by position). */
    public static final String CSV_HEADER =
            "epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds";
    /** Appended after {@link #CSV_HEADER} when the run evaluates the test split after every epoch. */
    public static final String TEST_COLUMNS = "test_loss,test_top1,test_top5";

    private static final int COLUMNS = 8;
    private static final int COLUMNS_WITH_TEST = 11;

    /** Loss, top-1 and top-5 of a split measured after an epoch. */
    public record SplitScores(double loss, double top1, double top5) {
    }

    /** A row without a per-epoch test evaluation. */
    public EpochRecord(int epoch, double learningRate, double trainLoss, double trainAccuracy, double validationLoss,
                       double validationTop1, double validationTop5, double seconds) {
        this(epoch, learningRate, trainLoss, trainAccuracy, validationLoss, validationTop1, validationTop5, seconds, null);
    }

    public EpochRecord withTest(SplitScores scores) {
        return new EpochRecord(epoch, learningRate, trainLoss, trainAccuracy, validationLoss, validationTop1,
                validationTop5, seconds, scores);
    }

    public double testLoss() {
        return test == null ? Double.NaN : test.loss();
    }

    public double testTop1() {
        return test == null ? Double.NaN : test.top1();
    }

    public double testTop5() {
        return test == null ? Double.NaN : test.top5();
    }

    /** The header of an epochs.csv holding {@code rows}: the test columns only when some row has test values. */
    public static String csvHeader(java.util.List<EpochRecord> rows) {
        return hasTestColumns(rows) ? CSV_HEADER + "," + TEST_COLUMNS : CSV_HEADER;
    }

    public static boolean hasTestColumns(java.util.List<EpochRecord> rows) {
        return rows.stream().anyMatch(r -> r.test() != null);
    }

    /** The row as {@link #CSV_HEADER}'s columns. */
    public String toCsv() {
        return epoch + "," + number(learningRate) + "," + number(trainLoss) + "," + number(trainAccuracy) + ","
                + number(validationLoss) + "," + number(validationTop1) + "," + number(validationTop5) + ","
                + String.format(java.util.Locale.ROOT, "%.3f", seconds);
    }

    /** The row with the test columns too (empty cells when this epoch had no test evaluation). */
    public String toCsv(boolean withTestColumns) {
        if (!withTestColumns) {
            return toCsv();
        }
        return toCsv() + "," + number(testLoss()) + "," + number(testTop1()) + "," + number(testTop5());
    }

    public static EpochRecord fromCsv(String line) {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS && f.length != COLUMNS_WITH_TEST) {
            throw new IllegalArgumentException("epochs.csv row has " + f.length + " fields, expected " + COLUMNS
                    + " (" + CSV_HEADER + ") or " + COLUMNS_WITH_TEST + " (with " + TEST_COLUMNS + "): " + line);
        }
        SplitScores test = null;
        if (f.length == COLUMNS_WITH_TEST && !(f[8].isEmpty() && f[9].isEmpty() && f[10].isEmpty())) {
            test = new SplitScores(parse(f[8]), parse(f[9]), parse(f[10]));
        }
        return new EpochRecord(Integer.parseInt(f[0]), parse(f[1]), parse(f[2]), parse(f[3]), parse(f[4]),
                parse(f[5]), parse(f[6]), parse(f[7]), test);
    }

    /** Reads every row of an {@code epochs.csv}. */
    public static java.util.List<EpochRecord> readCsv(java.nio.file.Path file) throws java.io.IOException {
        java.util.List<EpochRecord> rows = new java.util.ArrayList<>();
        java.util.List<String> lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(fromCsv(lines.get(i)));
            }
        }
        return rows;
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private static double parse(String text) {
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }
}
