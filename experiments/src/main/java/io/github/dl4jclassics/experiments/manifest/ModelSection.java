package io.github.dl4jclassics.experiments.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.WeightInitChoice;

/**
 * The {@code model} section: which zoo model, for how many classes and which input.
 *
 * @param input "CxHxW"; the shape batches have after the data transforms
 * @param init  "paper" (default), "he" or "xavier"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSection(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) int classes,
        @JsonProperty(required = true) InputShape input,
        WeightInitChoice init) {

    public ModelSection {
        if (classes < 1) {
            throw new IllegalArgumentException("model.classes must be at least 1, got " + classes);
        }
    }
}
