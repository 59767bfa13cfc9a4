package io.github.dl4jclassics.zoo;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default for {@code nn.Conv2d} and {@code nn.Linear} weights: kaiming_uniform with a = sqrt(5),
 * which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)). The notes that do not set an initialisation used this, so
 * "paper" initialisation of their models means this.
 */
public final class PyTorchDefaultInit implements IWeightInit {

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double bound = 1.0 / Math.sqrt(fanIn);
        Nd4j.rand(paramView, Nd4j.getDistributions().createUniform(-bound, bound));
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyTorchDefaultInit;
    }

    @Override
    public int hashCode() {
        return PyTorchDefaultInit.class.hashCode();
    }
}
