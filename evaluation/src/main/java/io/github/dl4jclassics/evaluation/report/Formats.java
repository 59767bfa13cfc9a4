package io.github.dl4jclassics.evaluation.report;

import java.util.Locale;

/** How numbers are printed in reports and comparisons (always Locale.ROOT: a decimal point, never a comma). */
public final class Formats {

    private Formats() {
    }

    /** A fraction as a percentage with two decimals, "73.60%"; "–" for null or NaN. */
    public static String percent(Double fraction) {
        return fraction == null || fraction.isNaN() ? "–" : String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    public static String number(Double value, int decimals) {
        return value == null || value.isNaN() ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Seconds as "57.3 s", "12 min 5 s" or "3 h 04 min". */
    public static String duration(Double seconds) {
        if (seconds == null || seconds.isNaN()) {
            return "–";
        }
        long s = Math.round(seconds);
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    public static String html(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Text safe inside a markdown table cell: pipes escaped, line breaks flattened. */
    public static String markdownCell(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
