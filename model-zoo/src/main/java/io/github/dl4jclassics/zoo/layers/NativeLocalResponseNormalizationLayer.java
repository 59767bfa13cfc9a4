package io.github.dl4jclassics.zoo.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network-side half of {@link NativeLocalResponseNormalization}: one native {@code lrn} call forward (oneDNN's
 * LRN primitive in the oneDNN build), in-place array operations backward ({@link LrnBackward}: libnd4j's
 * {@code lrn_bp} of M2.1 is wrong). libnd4j normalises over the last axis, so NCHW activations are handed to it as
 * NHWC views (a permutation, no copy) and the result is written into a plain NCHW array through the same kind of view.
 */
public class NativeLocalResponseNormalizationLayer extends AbstractLayer<NativeLocalResponseNormalization> {

    public NativeLocalResponseNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = input;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.shape(), 'c');
        exec("lrn", new INDArray[]{channelsLast(in)}, channelsLast(out));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        NativeLocalResponseNormalization c = layerConf();
        INDArray gradIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        if (c.getDataFormat() == CNN2DFormat.NCHW) {
            LrnBackward.compute(input, epsilon, gradIn, c.depthRadius(), c.getK(), c.getAlpha(), c.getBeta(), workspaceMgr);
        } else {
            // NHWC (not used by the zoo): compute on NCHW copies, then lay the result out as NHWC.
            INDArray nchw = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(),
                    new long[]{input.size(0), input.size(3), input.size(1), input.size(2)}, 'c');
            LrnBackward.compute(input.permute(0, 3, 1, 2), epsilon.permute(0, 3, 1, 2), nchw, c.depthRadius(),
                    c.getK(), c.getAlpha(), c.getBeta(), workspaceMgr);
            gradIn.assign(nchw.permute(0, 2, 3, 1));
        }
        Gradient noParams = new DefaultGradient();
        return new Pair<>(noParams, gradIn);
    }

    private void exec(String op, INDArray[] inputs, INDArray output) {
        NativeLocalResponseNormalization c = layerConf();
        DynamicCustomOp call = DynamicCustomOp.builder(op)
                .addInputs(inputs)
                .addOutputs(output)
                .addFloatingPointArguments(c.getK(), c.getAlpha(), c.getBeta())
                .addIntegerArguments(c.depthRadius())
                .build();
        Nd4j.exec(call);
    }

    /** libnd4j's lrn works on the last axis: NCHW arrays are viewed as NHWC. */
    private INDArray channelsLast(INDArray array) {
        return layerConf().getDataFormat() == CNN2DFormat.NCHW ? array.permute(0, 2, 3, 1) : array;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("LRN has no parameters to fit");
    }

    @Override
    public INDArray params() {
        return null;
    }

    @Override
    public INDArray getParam(String param) {
        return null;
    }

    @Override
    public void setParams(INDArray params) {
        // no parameters
    }
}
