package io.github.dl4jclassics.zoo.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The backward pass of local response normalisation over NCHW data, in a dozen whole-array ND4J operations.
 *
 * <p>libnd4j's {@code lrn_bp} of 1.0.0-M2.1 gets the cross-channel term wrong (it fails DL4J's numerical gradient
 * check; see NativeLocalResponseNormalizationTest), so the gradient is computed here. With
 * {@code s_c = k + alpha * sum_{c' in W(c)} x_c'^2} and {@code y_c = x_c s_c^-beta}, the window {@code W} being
 * symmetric:
 * <pre>dL/dx_c = g_c s_c^-beta - 2 alpha beta x_c sum_{c' in W(c)} g_c' y_c' / s_c'</pre>
 * Both window sums over channels are one convolution each: the example {@code [C, H, W]} seen as a one-channel
 * {@code C x HW} image, convolved with a column of {@code 2 radius + 1} ones, zero-padded by {@code radius} rows (the
 * padding is the clipping of the window at the first and last channel).
 */
final class LrnBackward {

    private LrnBackward() {
    }

    /**
     * Writes the gradient with respect to {@code input} into {@code gradIn}; all three are NCHW arrays of one shape,
     * float or double.
     */
    static void compute(INDArray input, INDArray epsilon, INDArray gradIn, int radius, double k, double alpha, double beta) {
        DataType type = input.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("LRN supports float and double, got " + type);
        }
        INDArray x = input;
        INDArray g = epsilon.castTo(type);
        INDArray s = windowSum(x.mul(x), radius).muli(alpha).addi(k);
        INDArray sPowMinusBeta = Transforms.pow(s, -beta, true);
        gradIn.assign(g).muli(sPowMinusBeta);
        INDArray yOverS = sPowMinusBeta.muli(x).muli(g).divi(s); // g_c y_c / s_c
        gradIn.subi(windowSum(yOverS, radius).muli(x).muli(2 * alpha * beta));
    }

    /** {@code out[n, c] = sum of in[n, c'] for c' in [c - radius, c + radius] clipped to the channels}. */
    static INDArray windowSum(INDArray in, int radius) {
        if (radius == 0) {
            return in;
        }
        long n = in.size(0);
        long channels = in.size(1);
        long pixels = in.size(2) * in.size(3);
        INDArray image = in.reshape('c', n, 1, channels, pixels);
        INDArray ones = Nd4j.ones(in.dataType(), 2L * radius + 1, 1, 1, 1); // [kH, kW, in, out]
        INDArray out = Nd4j.createUninitialized(in.dataType(), n, 1, channels, pixels);
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(image, ones)
                .addOutputs(out)
                .addIntegerArguments(2 * radius + 1, 1, 1, 1, radius, 0, 1, 1, 0, 0) // not same-mode, NCHW
                .build());
        return out.reshape('c', in.shape());
    }
}
