package io.github.dl4jclassics.zoo;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torchvision's ResNet convolution init, {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}:
 * N(0, 2 / (out_channels * kH * kW)). DL4J's own fan-out divides by the stride, so fan-out is taken from the
 * weight shape [out, in, kH, kW] instead.
 */
public final class KaimingNormalFanOut implements IWeightInit {

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        double std = Math.sqrt(2.0 / (shape[0] * receptive));
        Nd4j.rand(paramView, Nd4j.getDistributions().createNormal(0, std));
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KaimingNormalFanOut;
    }

    @Override
    public int hashCode() {
        return KaimingNormalFanOut.class.hashCode();
    }
}
