package io.github.dl4jclassics.data.transforms;

import java.util.Random;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;

/**
 * torchvision's {@code RandomCrop(size, padding)} as a DataVec {@code ImageTransform}: pads the image with
 * {@code padding} zero pixels on each side, then cuts a {@code height x width} window at a uniformly random position
 * (the CIFAR recipe: pad 4, crop 32). DataVec's own {@code RandomCropTransform} has no padding. The window origin is
 * drawn as top, then left, the order of the trainer's batch path ({@link RandomCrop}). A height or width of 0 keeps
 * the image's own.
 */
public final class PaddedRandomCropTransform extends BaseImageTransform<Mat> {

    private final int height;
    private final int width;
    private final int padding;

    public PaddedRandomCropTransform(Random random, int height, int width, int padding) {
        super(random);
        if (height < 0 || width < 0 || padding < 0) {
            throw new IllegalArgumentException("crop " + height + "x" + width + " with padding " + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.converter = new OpenCVFrameConverter.ToMat();
    }

    @Override
    protected ImageWritable doTransform(ImageWritable image, Random random) {
        if (image == null) {
            return null;
        }
        Mat mat = converter.convert(image.getFrame());
        Mat padded = mat;
        if (padding > 0) {
            padded = new Mat();
            opencv_core.copyMakeBorder(mat, padded, padding, padding, padding, padding, opencv_core.BORDER_CONSTANT,
                    new Scalar(0, 0, 0, 0));
        }
        int height = this.height == 0 ? mat.rows() : this.height;
        int width = this.width == 0 ? mat.cols() : this.width;
        if (height > padded.rows() || width > padded.cols()) {
            throw new IllegalArgumentException("crop " + height + "x" + width + " is larger than the padded image "
                    + padded.rows() + "x" + padded.cols());
        }
        Random source = random != null ? random : this.random != null ? this.random : new Random();
        int top = source.nextInt(padded.rows() - height + 1);
        int left = source.nextInt(padded.cols() - width + 1);
        Mat window = new Mat(padded, new Rect(left, top, width, height)).clone();
        return new ImageWritable(converter.convert(window));
    }

    @Override
    public float[] query(float... coordinates) {
        throw new UnsupportedOperationException("PaddedRandomCropTransform does not track coordinates");
    }
}
