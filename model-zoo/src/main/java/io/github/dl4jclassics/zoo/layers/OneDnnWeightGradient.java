package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weight gradient of one undilated NCHW float convolution (any stride, explicit padding as DL4J's truncate mode) through oneDNN's backward-weights primitive,
 * called directly (JavaCPP's {@code org.bytedeco:dnnl} 2.5.2 presets, built on ND4J's JavaCPP 1.5.7 and sharing its
 * OpenMP runtime) on ND4J's own buffers: no copies of the input.
 *
 * <p>Why: libnd4j offers this kernel only inside {@code conv2d_bp}, together with an input gradient that a network's
 * first layer throws away; the project's other route ({@link ConvolutionGradients}, a forward convolution of swapped
 * axes) costs 3.5 ms for LeNet-5's conv1 at batch 64 where this primitive takes 0.9 ms, and 22-28 ms against 4.6 ms for
 * lenet-scene's (docs/PERFORMANCE.md, round 4). The primitive and its two reorders (the output gradient into oneDNN's
 * blocked layout, the weight gradient back to DL4J's {@code [out, in, kH, kW]}) are created once per input shape and
 * reused every step; the algorithm is direct, never Winograd, whatever the machine, so the numbers do not depend on a
 * timing. Same results as {@code conv2d_bp}'s weight gradient (the same oneDNN kernel; bit-identical in the probe).
 *
 * <p>CPU backend only: the fast layers are never used on CUDA. {@value OneDnn#PROPERTY}{@code =false} turns it off
 * (the layer then uses {@link ConvolutionGradients}), for comparisons; so does a failure to load the native library,
 * with one warning.
 */
final class OneDnnWeightGradient {

    private final long[] inputShape;
    private final long[] outputShape;
    private final OneDnn.Handles handles;
    private final dnnl_primitive reorderDst;
    private final dnnl_primitive backward;
    private final dnnl_primitive reorderWeights;
    private final dnnl_memory srcMemory;
    private final dnnl_memory dstPlainMemory;
    private final dnnl_exec_arg_t reorderDstArgs;
    private final dnnl_exec_arg_t backwardArgs;
    private final dnnl_exec_arg_t reorderWeightsArgs;
    /** The weight gradient in DL4J's layout, written by the last reorder; outside any workspace. */
    private final INDArray weightsPlain;

    /**
     * A primitive for inputs of {@code inputShape} ({@code [n, in, h, w]}) and weights {@code [out, in, kH, kW]},
     * with {@code padding} before each spatial axis and DL4J's truncate-mode output size (rows and columns that do not
     * fill a whole stride at the end are dropped, which oneDNN expresses as less padding after).
     */
    OneDnnWeightGradient(long[] inputShape, long outChannels, int[] kernel, int[] stride, int[] padding) {
        OneDnn.Runtime rt = OneDnn.runtime();
        this.inputShape = inputShape.clone();
        long n = inputShape[0];
        long oh = (inputShape[2] + 2L * padding[0] - kernel[0]) / stride[0] + 1;
        long ow = (inputShape[3] + 2L * padding[1] - kernel[1]) / stride[1] + 1;
        this.outputShape = new long[]{n, outChannels, oh, ow};
        long[] weightShape = {outChannels, inputShape[1], kernel[0], kernel[1]};
        long[] strides = {stride[0], stride[1]};
        long[] pads = {padding[0], padding[1]};
        long[] padsAfter = {(oh - 1) * stride[0] + kernel[0] - inputShape[2] - padding[0],
                (ow - 1) * stride[1] + kernel[1] - inputShape[3] - padding[1]};
        this.handles = new OneDnn.Handles();
        try {
            dnnl_memory_desc_t src = OneDnn.desc(this.inputShape, dnnl_nchw);
            dnnl_memory_desc_t weightsPlainDesc = OneDnn.desc(weightShape, dnnl_oihw);
            dnnl_memory_desc_t dstPlain = OneDnn.desc(outputShape, dnnl_nchw);
            // Forward descriptor: oneDNN's hint for the backward primitive (which layouts the forward pass would use).
            dnnl_convolution_desc_t forward = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_forward_desc_init(forward, dnnl_forward_training, dnnl_convolution_direct, src,
                    OneDnn.desc(weightShape, dnnl_format_tag_any), null, OneDnn.desc(outputShape, dnnl_format_tag_any), strides,
                    pads, padsAfter), "forward descriptor");
            dnnl_primitive_desc forwardPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forward), null, rt.engine(), null),
                    "forward primitive descriptor");
            dnnl_convolution_desc_t backwardDesc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_weights_desc_init(backwardDesc, dnnl_convolution_direct, src,
                    OneDnn.desc(weightShape, dnnl_format_tag_any), null, OneDnn.desc(outputShape, dnnl_format_tag_any), strides,
                    pads, padsAfter), "backward-weights descriptor");
            dnnl_primitive_desc backwardPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(backwardPd, new const_dnnl_op_desc_t(backwardDesc), null, rt.engine(),
                    forwardPd), "backward-weights primitive descriptor");
            dnnl_memory_desc_t dstBlocked = dnnl_primitive_desc_query_md(backwardPd, dnnl_query_diff_dst_md, 0);
            dnnl_memory_desc_t weightsBlocked = dnnl_primitive_desc_query_md(backwardPd, dnnl_query_diff_weights_md, 0);

            Pointer dstBlockedBuffer = handles.scratch(dnnl_memory_desc_get_size(dstBlocked));
            Pointer weightsBlockedBuffer = handles.scratch(dnnl_memory_desc_get_size(weightsBlocked));
            this.weightsPlain = Nd4j.createUninitializedDetached(DataType.FLOAT, weightShape);
            srcMemory = handles.memory(src, rt, null);
            dstPlainMemory = handles.memory(dstPlain, rt, null);
            dnnl_memory dstBlockedMemory = handles.memory(dstBlocked, rt, dstBlockedBuffer);
            dnnl_memory weightsBlockedMemory = handles.memory(weightsBlocked, rt, weightsBlockedBuffer);
            dnnl_memory weightsPlainMemory = handles.memory(weightsPlainDesc, rt, this.weightsPlain.data().addressPointer());

            reorderDst = handles.reorder(dstPlain, dstBlocked, rt);
            backward = handles.primitive(backwardPd);
            reorderWeights = handles.reorder(weightsBlocked, weightsPlainDesc, rt);
            reorderDstArgs = OneDnn.args(DNNL_ARG_FROM, dstPlainMemory, DNNL_ARG_TO, dstBlockedMemory);
            backwardArgs = OneDnn.args(DNNL_ARG_SRC, srcMemory, DNNL_ARG_DIFF_DST, dstBlockedMemory,
                    DNNL_ARG_DIFF_WEIGHTS, weightsBlockedMemory);
            reorderWeightsArgs = OneDnn.args(DNNL_ARG_FROM, weightsBlockedMemory, DNNL_ARG_TO, weightsPlainMemory);
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        OneDnn.cleanWith(this, handles);
    }

    /** Whether this primitive was made for inputs of this shape. */
    boolean fits(long[] shape) {
        return Arrays.equals(inputShape, shape);
    }

    /**
     * Writes {@code dL/dW} into {@code weightGrad} ({@code [out, in, kH, kW]}, any view).
     *
     * @param x the layer's input, {@code [n, in, h, w]} float
     * @param delta the gradient with respect to the pre-activation, {@code [n, out, h', w']} float
     */
    void compute(INDArray x, INDArray delta, INDArray weightGrad) {
        if (!fits(x.shape()) || !Arrays.equals(outputShape, delta.shape())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "oneDNN weight gradient made for input %s and output %s; got %s and %s",
                    Arrays.toString(inputShape), Arrays.toString(outputShape), Arrays.toString(x.shape()),
                    Arrays.toString(delta.shape())));
        }
        INDArray src = OneDnn.plain(x);
        INDArray diffDst = OneDnn.plain(delta);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            OneDnn.check(dnnl_memory_set_data_handle(srcMemory, src.data().addressPointer()), "set input");
            OneDnn.check(dnnl_memory_set_data_handle(dstPlainMemory, diffDst.data().addressPointer()), "set output gradient");
            OneDnn.check(dnnl_primitive_execute(reorderDst, rt.stream(), 2, reorderDstArgs), "reorder");
            OneDnn.check(dnnl_primitive_execute(backward, rt.stream(), 3, backwardArgs), "backward weights");
            OneDnn.check(dnnl_primitive_execute(reorderWeights, rt.stream(), 2, reorderWeightsArgs), "reorder");
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
            // The weights are small (LeNet-5's conv1: 450 values): copied into the gradient view by ND4J.
            weightGrad.assign(weightsPlain);
        }
    }

}
