package io.github.dl4jclassics.data.transforms;

import io.github.dl4jclassics.data.readers.RecordReaderImages.ChannelOrder;
import java.util.Random;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;

/**
 * AlexNet's PCA colour augmentation (Krizhevsky et al. 2012, section 4.1) as a DataVec {@code ImageTransform}: adds
 * {@code sum_i alpha_i lambda_i p_i} (times 255, for 0..255 pixels) to every pixel, with {@code alpha_i ~ N(0, std)}
 * drawn once per image and {@code (lambda_i, p_i)} the eigen-decomposition of the training set's RGB covariance
 * ({@link PcaEigen#compute}). The result is a 32-bit float image, so shifted values are not clipped to 0..255 (the
 * batch path of the trainer does the same, {@link PcaColour}).
 *
 * <p>Channel order is explicit: images from DataVec's {@code NativeImageLoader}/{@code ImageRecordReader} are BGR
 * (OpenCV), so the RGB shift is added as (B, G, R) with {@link ChannelOrder#BGR}, the default.
 *
 * <pre>{@code
 * PcaEigen eigen = PcaEigen.compute(trainImages);        // or new PcaEigen(eigenvalues, eigenvectors)
 * ImageTransform pca = new PcaColourImageTransform(new Random(42), eigen, 0.1, ChannelOrder.BGR);
 * ImageRecordReader reader = new ImageRecordReader(224, 224, 3, new ParentPathLabelGenerator(), pca);
 * }</pre>
 */
public final class PcaColourImageTransform extends BaseImageTransform<Mat> {

    private final PcaColour pca;
    private final ChannelOrder order;

    public PcaColourImageTransform(Random random, PcaEigen eigen, double std, ChannelOrder order) {
        super(random);
        this.pca = new PcaColour(std, eigen);
        this.order = order;
        this.converter = new OpenCVFrameConverter.ToMat();
    }

    /** The paper's std 0.1 on BGR images from DataVec's image loader. */
    public PcaColourImageTransform(Random random, PcaEigen eigen) {
        this(random, eigen, PcaColour.PAPER_STD, ChannelOrder.BGR);
    }

    @Override
    protected ImageWritable doTransform(ImageWritable image, Random random) {
        if (image == null) {
            return null;
        }
        Mat mat = converter.convert(image.getFrame());
        if (mat.channels() != 3) {
            throw new IllegalArgumentException("PCA colour needs 3-channel images, got " + mat.channels());
        }
        Random source = random != null ? random : this.random != null ? this.random : new Random();
        double[] alpha = new double[3];
        for (int i = 0; i < 3; i++) {
            alpha[i] = source.nextGaussian() * pca.std();
        }
        double[] rgb = pca.shiftFor(alpha);
        double[] shift = order == ChannelOrder.BGR ? new double[]{rgb[2], rgb[1], rgb[0]} : rgb;
        Mat floats = new Mat();
        mat.convertTo(floats, opencv_core.CV_32F);
        Mat offset = new Mat(floats.rows(), floats.cols(), opencv_core.CV_32FC3,
                new Scalar(shift[0], shift[1], shift[2], 0));
        Mat result = new Mat();
        opencv_core.add(floats, offset, result);
        return new ImageWritable(converter.convert(result));
    }

    @Override
    public float[] query(float... coordinates) {
        return coordinates; // a colour shift moves no pixel
    }
}
