package io.github.dl4jclassics.zoo.models;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Layer builders with PyTorch's parameters, so model classes read like the notes' code. */
public final class Layers {

    private Layers() {
    }

    /** {@code nn.Conv2d(in, nOut, k, stride, padding)} followed by {@code activation}. */
    public static ConvolutionLayer conv(String name, int nOut, int kernel, int stride, int padding, Activation activation) {
        return convBuilder(name, nOut, kernel, stride, padding, activation).build();
    }

    public static ConvolutionLayer.Builder convBuilder(String name, int nOut, int kernel, int stride, int padding,
            Activation activation) {
        return new ConvolutionLayer.Builder(kernel, kernel).name(name).nOut(nOut).stride(stride, stride)
                .padding(padding, padding).activation(activation);
    }

    public static SubsamplingLayer maxPool(String name, int kernel, int stride) {
        return maxPool(name, kernel, stride, 0);
    }

    /** {@code nn.MaxPool2d(kernel, stride, padding)}, floor mode. */
    public static SubsamplingLayer maxPool(String name, int kernel, int stride, int padding) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name(name).kernelSize(kernel, kernel)
                .stride(stride, stride).padding(padding, padding).build();
    }

    /**
     * {@code nn.LocalResponseNorm(size, alpha, beta, k)}. PyTorch divides alpha by size, DL4J uses alpha as given
     * (the paper's formula), so DL4J gets {@code alpha / size}.
     */
    public static LocalResponseNormalization torchLrn(String name, int size, double torchAlpha, double beta, double k) {
        return new LocalResponseNormalization.Builder().name(name).n(size).alpha(torchAlpha / size).beta(beta).k(k)
                .build();
    }

    /** LRN with the paper's (Krizhevsky 2012) formula: alpha is not divided by the window size. */
    public static LocalResponseNormalization paperLrn(String name, int size, double alpha, double beta, double k) {
        return new LocalResponseNormalization.Builder().name(name).n(size).alpha(alpha).beta(beta).k(k).build();
    }

    /**
     * {@code [nn.Dropout(1 - retain)] nn.Linear(nIn, nOut)} followed by {@code activation}; {@code retain} is DL4J's
     * probability of keeping an input (0 or 1 means no dropout).
     */
    public static DenseLayer.Builder dense(String name, int nOut, Activation activation, double retain) {
        DenseLayer.Builder b = new DenseLayer.Builder().name(name).nOut(nOut).activation(activation);
        if (retain > 0 && retain < 1) {
            b.dropOut(retain);
        }
        return b;
    }

    /** The classifier layer: linear, softmax, cross-entropy; its pre-softmax output equals PyTorch's logits. */
    public static OutputLayer.Builder output(String name, int numClasses, double retain) {
        OutputLayer.Builder b = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name(name)
                .nOut(numClasses).activation(Activation.SOFTMAX);
        if (retain > 0 && retain < 1) {
            b.dropOut(retain);
        }
        return b;
    }

    /**
     * {@code nn.BatchNorm2d(c)} with PyTorch's defaults: eps 1e-5, momentum 0.1 (DL4J decay 0.9), variance
     * stored as variance (not log10 stdev) so PyTorch's running_var maps one to one.
     */
    public static BatchNormalization batchNorm(String name) {
        return new BatchNormalization.Builder().name(name).eps(1e-5).decay(0.9).useLogStd(false)
                .activation(Activation.IDENTITY).build();
    }
}
