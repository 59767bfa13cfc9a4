package io.github.dl4jclassics.evaluation;

/** How a run compares with its documented result. */
public enum Verdict {
    /** The measured metric is at least the documented value minus the tolerance. */
    PASS,
    /** The measured metric fell short of the documented value by more than the tolerance. */
    FAIL,
    /** Nothing documented to compare with. */
    NO_REFERENCE,
    /**
     * The run was shortened (fewer epochs, another batch size, limited data): the documented value was measured with
     * the full recipe, so the run is not judged against it; {@code result.json}'s verdictReason names what differed.
     */
    NOT_COMPARABLE,
    /** {@code regress} only: the run could not be made (missing data, out of memory, a broken manifest). */
    ERROR;

    /**
     * @param measured the run's value of the documented metric on the documented split; null when that split was not evaluated
     */
    public static Verdict judge(DocumentedResult documented, Double measured) {
        if (documented == null || documented.value() == null) {
            return NO_REFERENCE;
        }
        if (measured == null || measured.isNaN()) {
            return FAIL;
        }
        // A small epsilon keeps 0.86 - 0.01 >= 0.85 from failing on binary rounding.
        return measured >= documented.value() - documented.toleranceOrZero() - 1e-12 ? PASS : FAIL;
    }
}
