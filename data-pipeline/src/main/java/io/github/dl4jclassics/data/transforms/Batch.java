package io.github.dl4jclassics.data.transforms;

import io.github.dl4jclassics.common.InputShape;

/**
 * A batch being prepared: pixels as floats (N, C, H, W) and labels as class probabilities (one-hot). Transforms change it in place; a transform that changes the shape replaces the arrays.
 */
public final class Batch {

    private float[] features;
    private InputShape shape;
    private final float[] labels;
    private final int count;
    private final int numClasses;

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

    /** Replaces the pixels with an array of another shape (e.g. grey to RGB). */
    public void replaceFeatures(float[] newFeatures, InputShape newShape) {
        if (newFeatures.length != count * newShape.size()) {
            throw new IllegalArgumentException("features do not match " + count + " x " + newShape);
        }
        this.features = newFeatures;
        this.shape = newShape;
    }
}
