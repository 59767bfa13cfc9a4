package io.github.dl4jclassics.data.transforms;

import io.github.dl4jclassics.zoo.InputShape;

/**
 * A batch being prepared: pixels as floats (N, C, H, W) and labels as class probabilities (one-hot, or soft
 * after mixup). Transforms change it in place; a transform that changes the shape replaces the arrays.
 */
public final class Batch {

    private float[] features;
    private InputShape shape;
    private final float[] labels;
    private final int count;
    private final int numClasses;
    private boolean labelsMixed;

    public Batch(float[] features, InputShape shape, float[] labels, int count, int numClasses) {
        if (features.length != count * shape.size() || labels.length != count * numClasses) {
            throw new IllegalArgumentException("batch arrays do not match " + count + " x " + shape + " / " + numClasses);
        }
        this.features = features;
        this.shape = shape;
        this.labels = labels;
        this.count = count;
        this.numClasses = numClasses;
    }

    public float[] features() {
        return features;
    }

    public InputShape shape() {
        return shape;
    }

    public float[] labels() {
        return labels;
    }

    public int count() {
        return count;
    }

    public int numClasses() {
        return numClasses;
    }

    /** True after mixup: labels are soft, so accuracy on this batch is not meaningful. */
    public boolean labelsMixed() {
        return labelsMixed;
    }

    public void markLabelsMixed() {
        this.labelsMixed = true;
    }

    /** Replaces the pixels with an array of another shape (e.g. grey to RGB). */
    public void replaceFeatures(float[] newFeatures, InputShape newShape) {
        if (newFeatures.length != count * newShape.size()) {
            throw new IllegalArgumentException("features do not match " + count + " x " + newShape);
        }
        this.features = newFeatures;
        this.shape = newShape;
    }
}
