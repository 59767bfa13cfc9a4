package io.github.dl4jclassics.zoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J 1.0.0-M2.1's activation layer with a plain ReLU in two passes per training step instead of five. DL4J's copies
 * the input and applies ReLU in place (forward), then copies the input again and runs libnd4j's {@code relu_bp}, a
 * {@code std::function} call per element (backward; 6 % of a ResNet-18 step with the forward, async-profiler). Here
 * the forward pass writes {@code max(0, x)} into a new array in one pass, and the backward pass computes
 * {@code step(x) * dL/da} in two vectorised passes into the gradient workspace, keeping the input untouched as DL4J
 * does. Same values: 1 where x > 0, else 0. Other activations and other data types take DL4J's path.
 */
public class FastActivationLayer extends ActivationLayer {

    public FastActivationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!plainRelu()) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(),
                input.ordering());
        Nd4j.getExecutioner().exec(new RectifiedLinear(input, out, 0.0));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!plainRelu() || epsilon.dataType() != input.dataType()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
                input.ordering());
        Nd4j.getExecutioner().exec(new Step(input, delta, 0.0));
        delta.muli(epsilon);
        return new Pair<>(new DefaultGradient(), delta);
    }

    private boolean plainRelu() {
        return input != null && FastConvolutionLayer.isPlainRelu(layerConf().getActivationFn())
                && (input.dataType() == DataType.FLOAT || input.dataType() == DataType.DOUBLE);
    }
}
