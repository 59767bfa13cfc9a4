package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.dl4jclassics.common.InputShape;
import java.util.Random;

/**
 * One step of the data recipe, written in a manifest as {@code {"type": "...", ...}}. Steps run in
 * {@link #order()} whatever their order in the manifest: resize, random crop, horizontal flip, PCA colour,
 * grey-to-RGB, then the batch-level steps mixup and normalization (normalization is linear, so normalizing last
 * gives what normalizing before mixup and grey-to-RGB gives). The per-image augmentations also exist as DataVec
 * {@code ImageTransform}s for one's own DataVec pipelines: see {@link DataVecTransforms}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Resize.class, name = "resize"),
        @JsonSubTypes.Type(value = RandomCrop.class, name = "random-crop"),
        @JsonSubTypes.Type(value = CenterCrop.class, name = "center-crop"),
        @JsonSubTypes.Type(value = PcaColour.class, name = "pca-colour"),
        @JsonSubTypes.Type(value = Mixup.class, name = "mixup"),
        @JsonSubTypes.Type(value = Normalize.class, name = "normalize"),
        @JsonSubTypes.Type(value = HorizontalFlip.class, name = "horizontal-flip"),
        @JsonSubTypes.Type(value = GreyToRgb.class, name = "grey-to-rgb"),
})
public interface BatchTransform {

    int ORDER_RESIZE = 10;
    int ORDER_RANDOM_CROP = 20;
    int ORDER_FLIP = 30;
    int ORDER_PCA_COLOUR = 40;
    int ORDER_NORMALIZE = 50;
    int ORDER_GREY_TO_RGB = 60;
    int ORDER_MIXUP = 70;

    /** Position in the canonical order (lower runs first). */
    @JsonIgnore
    int order();

    /** True for random augmentations, which apply to training batches only. */
    @JsonIgnore
    boolean augmentation();

    /**
     * True for steps that act on the whole {@code DataSet} after the per-image steps: normalization (an ND4J
     * {@code NormalizerStandardize}) and mixup (a {@code DataSetPreProcessor}). {@link #apply} is not used for them.
     */
    default boolean batchLevel() {
        return false;
    }

    /** The shape of a batch after this step, given the shape before it. */
    default InputShape outputShape(InputShape input) {
        return input;
    }

    /**
     * What runs in this step's place on validation, test and inference batches: the step itself when it is
     * deterministic, nothing (null) for an augmentation, or a deterministic counterpart that keeps the output
     * shape (a centre crop for a random crop to a smaller size).
     */
    default BatchTransform forEvaluation() {
        return augmentation() ? null : this;
    }

    /** Transforms {@code batch} in place, drawing randomness from {@code random}. */
    void apply(Batch batch, Random random);
}
