package io.github.dl4jclassics.zoo.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradients of a stride-1, undilated NCHW convolution ({@code y = conv(x, W) + b}, W as {@code [out, in, kH, kW]})
 * computed with libnd4j operations whose oneDNN primitives run the direct algorithm, instead of {@code conv2d_bp}.
 *
 * <p>Why: libnd4j's {@code conv2d_bp} asks oneDNN for {@code convolution_auto}, and oneDNN 2.3 on an AVX-512 machine
 * then picks Winograd ({@code jit_wino_4x3}) for the backward passes of 3x3 convolutions, whatever the image size.
 * On small images that is very slow: for ResNet-18's 512-channel 2x2 layers at batch 64, 460 ms of CPU per
 * {@code conv2d_bp} against ~25 ms here (docs/PERFORMANCE.md).
 * <ul>
 *   <li>input gradient: {@code deconv2d(delta, W)} with the same kernel and padding. A transposed convolution is
 *       exactly the input gradient of the convolution; oneDNN runs it as a direct backward-data kernel;</li>
 *   <li>weight gradient: {@code dL/dW[o, i, kh, kw] = sum over n, y, x of delta[n, o, y, x] xpad[n, i, y + kh, x + kw]},
 *       a forward convolution of x (batch and channel axes swapped) by the kernel delta (same swap);</li>
 *   <li>bias gradient: the sum of delta over batch and pixels.</li>
 * </ul>
 */
final class ConvolutionGradients {

    private ConvolutionGradients() {
    }

    /**
     * Writes the weight gradient (layout of W) into {@code weightGrad} and, when {@code biasGrad} is not null, the bias
     * gradient into it.
     *
     * @param x the layer's input {@code [n, in, h, w]}
     * @param delta the gradient with respect to the pre-activation {@code [n, out, h', w']}
     */
    static void parameterGradients(INDArray x, INDArray delta, int[] kernel, int[] padding, INDArray weightGrad,
            INDArray biasGrad, LayerWorkspaceMgr workspaceMgr) {
        DataType type = x.dataType();
        long n = x.size(0);
        long inChannels = x.size(1);
        long outChannels = delta.size(1);
        INDArray xT = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type,
                new long[]{inChannels, n, x.size(2), x.size(3)}, 'c');
        xT.assign(x.permute(1, 0, 2, 3));
        INDArray deltaT = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type,
                new long[]{outChannels, n, delta.size(2), delta.size(3)}, 'c');
        deltaT.assign(delta.permute(1, 0, 2, 3));
        INDArray gradT = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type,
                new long[]{inChannels, outChannels, kernel[0], kernel[1]}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(xT, deltaT)
                .addOutputs(gradT)
                .addIntegerArguments((int) delta.size(2), (int) delta.size(3), 1, 1, padding[0], padding[1], 1, 1,
                        0, 0, 1) // not same-mode, NCHW, kernel as [out, in, kH, kW]
                .build());
        weightGrad.assign(gradT.permute(1, 0, 2, 3));
        if (biasGrad != null) {
            delta.sum(biasGrad.reshape(biasGrad.length()), 0, 2, 3);
        }
    }

    /** The gradient with respect to the input {@code [n, in, h, w]}, in an ACTIVATION_GRAD array. */
    static INDArray inputGradient(INDArray delta, INDArray weights, long[] inputShape, int[] kernel, int[] padding,
            LayerWorkspaceMgr workspaceMgr) {
        INDArray gradIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(), inputShape, 'c');
        Nd4j.exec(DynamicCustomOp.builder("deconv2d")
                .addInputs(delta, weights)
                .addOutputs(gradIn)
                .addIntegerArguments(kernel[0], kernel[1], 1, 1, padding[0], padding[1], 1, 1,
                        0, 0, 1) // not same-mode, NCHW, weights as [in, out, kH, kW] of the transposed convolution
                .build());
        return gradIn;
    }
}
