package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Everything computed from the training split that evaluation and inference must reuse: normalization
 * statistics and PCA eigen data (each null when the recipe does not use it). Saved beside a trained model as
 * JSON and passed back to {@code DataPipeline.prepare} so the same numbers are used later.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataStatistics(ChannelStatistics normalization, PcaEigen pca) {

    public static final DataStatistics NONE = new DataStatistics(null, null);

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return normalization == null && pca == null;
    }
}
