package io.github.dl4jclassics.training;

/**
 * The {@code --epochs} of the command line, parsed once: a total ({@code N}) or, when continuing a finished run,
 * a number of epochs to add to it ({@code +N}).
 *
 * @param count the N of {@code N} or {@code +N}, at least 1
 * @param more  {@code +N}: N more than the finished run trained
 */
public record EpochTarget(int count, boolean more) {

    public EpochTarget {
        if (count < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + (more ? "+" : "") + count);
        }
    }

    /** {@code "50"} or {@code "+50"}; anything else is an error quoting it. */
    public static EpochTarget parse(String text) {
        String trimmed = text.trim();
        boolean more = trimmed.startsWith("+");
        try {
            return new EpochTarget(Integer.parseInt(more ? trimmed.substring(1) : trimmed), more);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--epochs must be N or +N (more epochs), got '" + text + "'");
        }
    }

    public static EpochTarget total(int epochs) {
        return new EpochTarget(epochs, false);
    }

    /**
     * The total epoch count of a run continued after {@code epochsCompleted} epochs; an error when that trains
     * nothing more.
     */
    public int totalAfter(int epochsCompleted) {
        int total = more ? epochsCompleted + count : count;
        if (total <= epochsCompleted) {
            throw new IllegalArgumentException("--epochs " + this + " gives " + total + " epochs, but the run has already "
                    + "trained " + epochsCompleted + ": nothing to continue");
        }
        return total;
    }

    @Override
    public String toString() {
        return (more ? "+" : "") + count;
    }
}
