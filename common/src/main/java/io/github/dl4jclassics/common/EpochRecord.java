package io.github.dl4jclassics.common;

/**
 * One row of {@code epochs.csv}. Epochs are numbered from 1 as the notes print them. Accuracies are fractions;
 * NaN where not measured (no validation split, or mixed labels during training).
 */
public record EpochRecord(
        int epoch,
        double learningRate,
        double trainLoss,
        double trainAccuracy,
        double validationLoss,
        double validationTop1,
        double validationTop5,
        double seconds) {

    public static final String CSV_HEADER =
            "epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds";

    public String toCsv() {
        return epoch + "," + number(learningRate) + "," + number(trainLoss) + "," + number(trainAccuracy) + ","
                + number(validationLoss) + "," + number(validationTop1) + "," + number(validationTop5) + ","
                + String.format(java.util.Locale.ROOT, "%.3f", seconds);
    }

    public static EpochRecord fromCsv(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 8) {
            throw new IllegalArgumentException("epochs.csv row has " + f.length + " fields, expected 8: " + line);
        }
        return new EpochRecord(Integer.parseInt(f[0]), parse(f[1]), parse(f[2]), parse(f[3]), parse(f[4]),
                parse(f[5]), parse(f[6]), parse(f[7]));
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
