package io.github.dl4jclassics.experiments.manifest;

/** The {@code evaluation} section: k of the top-k accuracy reported besides top-1 and top-5. */
public record EvaluationConfig(int topK) {

    public EvaluationConfig {
        if (topK < 1) {
            throw new IllegalArgumentException("evaluation.topK must be at least 1, got " + topK);
        }
    }
}
