package io.github.dl4jclassics.data;

/**
 * Carves a validation set out of the training files: give exactly one of {@code validationCount} and
 * {@code validationFraction}. The same seed gives the same split on every run and machine.
 */
public record SplitConfig(Integer validationCount, Double validationFraction, long seed) {

    public SplitConfig {
        if ((validationCount == null) == (validationFraction == null)) {
            throw new IllegalArgumentException("split: give exactly one of validationCount and validationFraction");
        }
        if (validationCount != null && validationCount < 1) {
            throw new IllegalArgumentException("split.validationCount must be at least 1, got " + validationCount);
        }
        if (validationFraction != null && !(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("split.validationFraction must be in (0, 1), got " + validationFraction);
        }
    }

    /**
     * The split of the first {@code limited} of {@code total} training examples (a quick trial): a validationCount
     * keeps its share of the whole (5000 of 60000 becomes 167 of 2000); a fraction already scales.
     */
    public SplitConfig limitedTo(int limited, int total) {
        if (validationCount == null || limited >= total) {
            return this;
        }
        int scaled = (int) Math.max(1, Math.round((double) validationCount * limited / total));
        return new SplitConfig(scaled, null, seed);
    }

    /** Number of validation examples out of {@code total}. */
    public int validationSize(int total) {
        int size = validationCount != null ? validationCount : (int) Math.round(total * validationFraction);
        if (size >= total) {
            throw new IllegalArgumentException("split: validation size " + size + " leaves no training examples out of " + total);
        }
        return size;
    }
}
