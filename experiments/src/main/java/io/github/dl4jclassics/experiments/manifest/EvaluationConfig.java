package io.github.dl4jclassics.experiments.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code evaluation} section.
 *
 * @param topK     k of the top-k accuracy reported besides top-1 and top-5 (default 5, also when the section only
 *                 sets {@code perEpoch})
 * @param perEpoch further splits measured after every epoch, into epochs.csv and the curves: only {@code "test"} (the
 *                 validation split is measured after every epoch already). For notes that evaluate their test set
 *                 per epoch and draw it (the scene note's 'val' folder); these values never choose an epoch or a
 *                 rate. Empty for none
 */
public record EvaluationConfig(Integer topK, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> perEpoch) {

    /** The splits {@code perEpoch} may name. */
    public static final List<String> PER_EPOCH_SPLITS = List.of("test");

    public EvaluationConfig {
        if (topK == null) {
            topK = 5;
        }
        if (topK < 1) {
            throw new IllegalArgumentException("evaluation.topK must be at least 1, got " + topK);
        }
        perEpoch = perEpoch == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(perEpoch));
    }

    /**
     * What is wrong with {@code perEpoch} ("perEpoch[i]: what"), or null. Checked by the manifest loader, which
     * names the file and the part the field came from.
     */
    public String perEpochProblem() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < perEpoch.size(); i++) {
            String split = perEpoch.get(i);
            if ("validation".equals(split)) {
                return "perEpoch[" + i + "]: 'validation' is measured after every epoch already when the "
                        + "data have a validation split (data.split); allowed: " + String.join(", ", PER_EPOCH_SPLITS);
            }
            if (!PER_EPOCH_SPLITS.contains(split)) {
                return "perEpoch[" + i + "]: unknown split " + (split == null ? "null" : "'" + split + "'") + "; "
                        + "allowed: " + String.join(", ", PER_EPOCH_SPLITS) + " (a note's 'val' folder that is its test "
                        + "set is 'test')";
            }
            if (!seen.add(split)) {
                return "perEpoch[" + i + "]: '" + split + "' is listed twice";
            }
        }
        return null;
    }

    public EvaluationConfig(int topK) {
        this(topK, List.of());
    }

    public boolean testPerEpoch() {
        return perEpoch.contains("test");
    }
}
