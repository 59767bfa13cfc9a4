package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass {@code z = conv(x, W) + b} of one undilated NCHW float convolution through oneDNN's convolution
 * primitive called directly (JavaCPP's presets, see {@link OneDnn}), on ND4J's buffers.
 *
 * <p>Why: libnd4j's {@code conv2d} lets oneDNN 2.3 choose, and for the zoo's few-channel layers it takes the
 * {@code brgconv} kernel on channels-last copies (reorders of input and output at every call) and recreates the
 * primitive each time. For LeNet-5's conv1 at batch 64, 1.27 ms against 0.96 ms here, conv2 0.40 against 0.21
 * (docs/PERFORMANCE.md, round 4): the primitive, its layouts (oneDNN's choice: plain input for few channels, blocked
 * output) and the reorders are made once per input shape, and the algorithm is direct whatever the machine.
 *
 * <p>Which layers use it is a rule ({@link #suits}) from one forward pass per layer shape of the zoo's models (batch
 * 64, one thread, {@code BackwardPathProbe -Dprobe.forward=true}): few input channels (LeNets, first layers: 1.3 to
 * 2.7x faster), strided convolutions (ResNet's stem 16.9 -> 11.3 ms, its downsampling 1x1 and 3x3 layers 15-30 %),
 * 512 output channels (ResNet's and VGG's 2x2 and 4x4 layers: 30.4 -> 14.5 ms) and 32x32 outputs and larger (VGG's
 * first block: 54 -> 34 ms). Elsewhere (3x3 stride-1 layers of 128-256 channels on 4x4 to 16x16 images) libnd4j's
 * choice was as fast or up to 40 % faster (AlexNet2's 6x6 layers), so those stay on libnd4j.
 */
final class OneDnnConvolutionForward {

    /** Input channels up to which the direct forward pass is used (LeNets' and AlexNets' first layers, LeNets' conv2). */
    static final long MAX_INPUT_CHANNELS = 16;

    private final long[] inputShape;
    private final long[] outputShape;
    /** OpenMP threads at creation, which the primitive keeps ({@link OneDnn#threads()}). */
    private final int threads;
    private final OneDnn.Handles handles;
    private final dnnl_memory srcPlain;
    private final dnnl_memory weightsPlain;
    private final dnnl_memory biasMemory;
    private final dnnl_memory dstPlain;
    private final dnnl_primitive reorderSrc;
    private final dnnl_primitive reorderWeights;
    private final dnnl_primitive convolution;
    private final dnnl_primitive reorderDst;
    private final dnnl_exec_arg_t reorderSrcArgs;
    private final dnnl_exec_arg_t reorderWeightsArgs;
    private final dnnl_exec_arg_t convolutionArgs;
    private final dnnl_exec_arg_t reorderDstArgs;

    /** Output channels from which the direct forward pass is used. */
    static final long MIN_OUTPUT_CHANNELS = 512;

    /** Output pixels from which the direct forward pass is used (32x32). */
    static final long MIN_OUTPUT_PIXELS = 1024;

    /** Whether a layer should take this path (the rule of the class comment), when switched on and loaded. */
    static boolean suits(long inputChannels, long outputChannels, int[] stride, long outputPixels) {
        boolean faster = inputChannels <= MAX_INPUT_CHANNELS || stride[0] > 1 || stride[1] > 1
                || outputChannels >= MIN_OUTPUT_CHANNELS || outputPixels >= MIN_OUTPUT_PIXELS;
        return faster && OneDnn.available();
    }

    /**
     * A primitive for inputs {@code [n, in, h, w]} and weights {@code [out, in, kH, kW]}, with a bias, {@code padding}
     * before each spatial axis and DL4J's truncate-mode output size.
     */
    OneDnnConvolutionForward(long[] inputShape, long outChannels, int[] kernel, int[] stride, int[] padding) {
        OneDnn.Runtime rt = OneDnn.runtime();
        this.inputShape = inputShape.clone();
        this.threads = OneDnn.threads();
        this.outputShape = OneDnn.outputShape(inputShape, outChannels, kernel, stride, padding);
        long[] weightShape = {outChannels, inputShape[1], kernel[0], kernel[1]};
        long[] strides = {stride[0], stride[1]};
        long[] pads = {padding[0], padding[1]};
        long[] padsAfter = OneDnn.padsAfter(inputShape, outputShape, kernel, stride, padding);
        this.handles = new OneDnn.Handles();
        try {
            dnnl_memory_desc_t srcPlainDesc = OneDnn.desc(this.inputShape, dnnl_nchw);
            dnnl_memory_desc_t weightsPlainDesc = OneDnn.desc(weightShape, dnnl_oihw);
            dnnl_memory_desc_t biasDesc = OneDnn.desc(new long[]{outChannels}, dnnl_x);
            dnnl_memory_desc_t dstPlainDesc = OneDnn.desc(outputShape, dnnl_nchw);
            dnnl_convolution_desc_t forward = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_forward_desc_init(forward, dnnl_forward_training, dnnl_convolution_direct,
                    OneDnn.desc(this.inputShape, dnnl_format_tag_any), OneDnn.desc(weightShape, dnnl_format_tag_any),
                    biasDesc, OneDnn.desc(outputShape, dnnl_format_tag_any), strides, pads, padsAfter),
                    "forward descriptor");
            dnnl_primitive_desc pd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(forward), null, rt.engine(), null),
                    "forward primitive descriptor");
            dnnl_memory_desc_t srcDesc = dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0);
            dnnl_memory_desc_t weightsDesc = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
            dnnl_memory_desc_t dstDesc = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0);

            srcPlain = handles.memory(srcPlainDesc, rt, null);
            weightsPlain = handles.memory(weightsPlainDesc, rt, null);
            biasMemory = handles.memory(biasDesc, rt, null);
            dstPlain = handles.memory(dstPlainDesc, rt, null);
            // Where oneDNN's layout is the plain one, the primitive reads or writes ND4J's buffer itself.
            boolean srcIsPlain = dnnl_memory_desc_equal(srcDesc, srcPlainDesc) != 0;
            boolean dstIsPlain = dnnl_memory_desc_equal(dstDesc, dstPlainDesc) != 0;
            dnnl_memory src = srcIsPlain ? srcPlain
                    : handles.memory(srcDesc, rt, handles.scratch(dnnl_memory_desc_get_size(srcDesc)));
            dnnl_memory weights = handles.memory(weightsDesc, rt, handles.scratch(dnnl_memory_desc_get_size(weightsDesc)));
            dnnl_memory dst = dstIsPlain ? dstPlain
                    : handles.memory(dstDesc, rt, handles.scratch(dnnl_memory_desc_get_size(dstDesc)));
            reorderSrc = srcIsPlain ? null : handles.reorder(srcPlainDesc, srcDesc, rt);
            reorderWeights = handles.reorder(weightsPlainDesc, weightsDesc, rt);
            convolution = handles.primitive(pd);
            reorderDst = dstIsPlain ? null : handles.reorder(dstDesc, dstPlainDesc, rt);
            reorderSrcArgs = OneDnn.args(DNNL_ARG_FROM, srcPlain, DNNL_ARG_TO, src);
            reorderWeightsArgs = OneDnn.args(DNNL_ARG_FROM, weightsPlain, DNNL_ARG_TO, weights);
            convolutionArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_BIAS, biasMemory,
                    DNNL_ARG_DST, dst);
            reorderDstArgs = OneDnn.args(DNNL_ARG_FROM, dst, DNNL_ARG_TO, dstPlain);
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        OneDnn.cleanWith(this, handles);
    }

    /** Whether this primitive was made for inputs of this shape, with the calling thread's OpenMP thread count. */
    boolean fits(long[] shape) {
        return Arrays.equals(inputShape, shape) && threads == OneDnn.threads();
    }

    /** The output shape {@code [n, out, h', w']}. */
    long[] outputShape() {
        return outputShape.clone();
    }

    /** Writes {@code conv(x, weights) + bias} into {@code out} ({@link #outputShape()}; a view is written by a copy). */
    void compute(INDArray x, INDArray weights, INDArray bias, INDArray out) {
        if (!fits(x.shape()) || !Arrays.equals(outputShape, out.shape())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "oneDNN convolution made for input %s and output %s; got %s and %s", Arrays.toString(inputShape),
                    Arrays.toString(outputShape), Arrays.toString(x.shape()), Arrays.toString(out.shape())));
        }
        INDArray src = OneDnn.plain(x);
        INDArray w = OneDnn.plain(weights);
        INDArray b = OneDnn.plain(bias.reshape(bias.length()));
        INDArray target = OneDnn.plain(out);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            OneDnn.check(dnnl_memory_set_data_handle(srcPlain, src.data().addressPointer()), "set input");
            OneDnn.check(dnnl_memory_set_data_handle(weightsPlain, w.data().addressPointer()), "set weights");
            OneDnn.check(dnnl_memory_set_data_handle(biasMemory, b.data().addressPointer()), "set bias");
            OneDnn.check(dnnl_memory_set_data_handle(dstPlain, target.data().addressPointer()), "set output");
            if (reorderSrc != null) {
                OneDnn.check(dnnl_primitive_execute(reorderSrc, rt.stream(), 2, reorderSrcArgs), "reorder input");
            }
            OneDnn.check(dnnl_primitive_execute(reorderWeights, rt.stream(), 2, reorderWeightsArgs), "reorder weights");
            OneDnn.check(dnnl_primitive_execute(convolution, rt.stream(), 4, convolutionArgs), "convolution");
            if (reorderDst != null) {
                OneDnn.check(dnnl_primitive_execute(reorderDst, rt.stream(), 2, reorderDstArgs), "reorder output");
            }
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
        if (target != out) {
            out.assign(target);
        }
    }
}
