package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
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
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The whole backward pass of one undilated NCHW float convolution (any stride, explicit padding, DL4J's truncate-mode
 * output size) through oneDNN's backward-weights primitive (weight and bias gradients) and, when asked, its
 * backward-data primitive (input gradient), called directly on ND4J's buffers (JavaCPP presets, see {@link OneDnn}).
 *
 * <p>Why: libnd4j's {@code conv2d_bp} creates its primitives at every call and reorders every operand from and to
 * NCHW each time (for ResNet-18's 2x2 512-channel layer 123 ms against 43-52 here, AVX-512, batch 64, one thread).
 * Here oneDNN picks its preferred layouts ({@code format_tag_any}), the primitives and reorders are made once per layer
 * and input shape, the output gradient is reordered once and shared by both primitives when they want the same
 * layout, the bias gradient comes from the backward-weights primitive itself ({@code diff_bias}), and contiguous ND4J
 * arrays (the parameter and gradient views among them) are read and written in place. The algorithm is the caller's:
 * direct, or oneDNN's own choice ({@code auto}: Winograd for 3x3 stride-1 layers on AVX-512, a function of the shape,
 * the ISA and the thread count inside oneDNN, never of a timing).
 *
 * <p>CPU backend only: the fast layers are never used on CUDA.
 */
final class OneDnnConvolutionBackward {

    private final long[] inputShape;
    /** OpenMP threads at creation, which the primitives keep ({@link OneDnn#threads()}). */
    private final int threads;
    private final long[] outputShape;
    private final boolean withInputGradient;
    private final boolean withBias;
    private final OneDnn.Handles handles;

    private final dnnl_memory srcPlain;
    private final dnnl_memory dstDiffPlain;
    private final dnnl_memory weightsPlain;
    private final dnnl_memory srcDiffPlain;
    private final dnnl_memory weightGradMemory;
    private final dnnl_memory biasGradMemory;

    /** Primitives in execution order with their argument counts and arguments; reorders only where layouts differ. */
    private final dnnl_primitive[] steps;
    private final int[] argCounts;
    private final dnnl_exec_arg_t[] stepArgs;

    /** The weight gradient in DL4J's layout, written by the last reorder; outside any workspace. */
    private final INDArray weightGradPlain;
    /** The bias gradient, written by the backward-weights primitive; outside any workspace. */
    private final INDArray biasGrad;

    /**
     * Primitives for inputs {@code [n, in, h, w]} and weights {@code [out, in, kH, kW]}: the weight gradient always, the
     * bias gradient when {@code withBias}, the input gradient when {@code withInputGradient}.
     */
    OneDnnConvolutionBackward(long[] inputShape, long outChannels, int[] kernel, int[] stride, int[] padding,
            boolean withBias, boolean withInputGradient) {
        this(inputShape, outChannels, kernel, stride, padding, withBias, withInputGradient, dnnl_convolution_direct);
    }

    /** As above with oneDNN's {@code algorithm} ({@code dnnl_convolution_direct} or {@code dnnl_convolution_auto}). */
    OneDnnConvolutionBackward(long[] inputShape, long outChannels, int[] kernel, int[] stride, int[] padding,
            boolean withBias, boolean withInputGradient, int algorithm) {
        OneDnn.Runtime rt = OneDnn.runtime();
        this.inputShape = inputShape.clone();
        this.threads = OneDnn.threads();
        this.withBias = withBias;
        this.withInputGradient = withInputGradient;
        this.outputShape = OneDnn.outputShape(inputShape, outChannels, kernel, stride, padding);
        long[] weightShape = {outChannels, inputShape[1], kernel[0], kernel[1]};
        long[] strides = {stride[0], stride[1]};
        long[] pads = {padding[0], padding[1]};
        long[] padsAfter = OneDnn.padsAfter(inputShape, outputShape, kernel, stride, padding);
        this.handles = new OneDnn.Handles();
        try {
            dnnl_memory_desc_t srcPlainDesc = OneDnn.desc(this.inputShape, dnnl_nchw);
            dnnl_memory_desc_t weightsPlainDesc = OneDnn.desc(weightShape, dnnl_oihw);
            dnnl_memory_desc_t dstPlainDesc = OneDnn.desc(outputShape, dnnl_nchw);
            dnnl_memory_desc_t biasDesc = withBias ? OneDnn.desc(new long[]{outChannels}, dnnl_x) : null;

            // Forward descriptor: oneDNN's hint for both backward primitives (the layouts a forward pass would use).
            dnnl_convolution_desc_t forward = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_forward_desc_init(forward, dnnl_forward_training, algorithm,
                    any(this.inputShape), any(weightShape), biasDesc, any(outputShape), strides, pads, padsAfter),
                    "forward descriptor");
            dnnl_primitive_desc forwardPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forward), null, rt.engine(), null),
                    "forward primitive descriptor");

            dnnl_convolution_desc_t weightsDesc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_weights_desc_init(weightsDesc, algorithm,
                    any(this.inputShape), any(weightShape), biasDesc, any(outputShape), strides, pads, padsAfter),
                    "backward-weights descriptor");
            dnnl_primitive_desc weightsPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(weightsPd, new const_dnnl_op_desc_t(weightsDesc), null, rt.engine(),
                    forwardPd), "backward-weights primitive descriptor");

            srcPlain = handles.memory(srcPlainDesc, rt, null);
            dstDiffPlain = handles.memory(dstPlainDesc, rt, null);
            weightsPlain = handles.memory(weightsPlainDesc, rt, null);
            srcDiffPlain = handles.memory(srcPlainDesc, rt, null);
            this.weightGradPlain = Nd4j.createUninitializedDetached(DataType.FLOAT, weightShape);
            this.biasGrad = withBias ? Nd4j.createUninitializedDetached(DataType.FLOAT, outChannels) : null;
            dnnl_memory weightGradPlainMemory = handles.memory(weightsPlainDesc, rt, null);
            weightGradMemory = weightGradPlainMemory;
            biasGradMemory = withBias ? handles.memory(biasDesc, rt, null) : null;

            Steps plan = new Steps();
            dnnl_memory_desc_t wSrcDesc = dnnl_primitive_desc_query_md(weightsPd, dnnl_query_src_md, 0);
            dnnl_memory_desc_t wDstDesc = dnnl_primitive_desc_query_md(weightsPd, dnnl_query_diff_dst_md, 0);
            dnnl_memory_desc_t wWeightsDesc = dnnl_primitive_desc_query_md(weightsPd, dnnl_query_diff_weights_md, 0);
            dnnl_memory wSrc = plan.into(srcPlainDesc, srcPlain, wSrcDesc, rt);
            dnnl_memory wDst = plan.into(dstPlainDesc, dstDiffPlain, wDstDesc, rt);
            boolean weightsGradIsPlain = dnnl_memory_desc_equal(wWeightsDesc, weightsPlainDesc) != 0;
            dnnl_memory wWeights = weightsGradIsPlain ? weightGradPlainMemory : scratch(wWeightsDesc, rt);
            if (withBias) {
                plan.add(handles.primitive(weightsPd), DNNL_ARG_SRC, wSrc, DNNL_ARG_DIFF_DST, wDst,
                        DNNL_ARG_DIFF_WEIGHTS, wWeights, DNNL_ARG_DIFF_BIAS, biasGradMemory);
            } else {
                plan.add(handles.primitive(weightsPd), DNNL_ARG_SRC, wSrc, DNNL_ARG_DIFF_DST, wDst,
                        DNNL_ARG_DIFF_WEIGHTS, wWeights);
            }
            if (!weightsGradIsPlain) {
                plan.add(handles.reorder(wWeightsDesc, weightsPlainDesc, rt), DNNL_ARG_FROM, wWeights, DNNL_ARG_TO,
                        weightGradPlainMemory);
            }

            if (withInputGradient) {
                dnnl_convolution_desc_t dataDesc = new dnnl_convolution_desc_t();
                OneDnn.check(dnnl_convolution_backward_data_desc_init(dataDesc, algorithm,
                        any(this.inputShape), any(weightShape), any(outputShape), strides, pads, padsAfter),
                        "backward-data descriptor");
                dnnl_primitive_desc dataPd = handles.pd();
                OneDnn.check(dnnl_primitive_desc_create(dataPd, new const_dnnl_op_desc_t(dataDesc), null, rt.engine(),
                        forwardPd), "backward-data primitive descriptor");
                dnnl_memory_desc_t dDstDesc = dnnl_primitive_desc_query_md(dataPd, dnnl_query_diff_dst_md, 0);
                dnnl_memory_desc_t dWeightsDesc = dnnl_primitive_desc_query_md(dataPd, dnnl_query_weights_md, 0);
                dnnl_memory_desc_t dSrcDesc = dnnl_primitive_desc_query_md(dataPd, dnnl_query_diff_src_md, 0);
                // The output gradient reordered for the weights is reused when the data primitive wants that layout.
                dnnl_memory dDst = dnnl_memory_desc_equal(dDstDesc, wDstDesc) != 0 ? wDst
                        : plan.into(dstPlainDesc, dstDiffPlain, dDstDesc, rt);
                dnnl_memory dWeights = plan.into(weightsPlainDesc, weightsPlain, dWeightsDesc, rt);
                boolean srcDiffIsPlain = dnnl_memory_desc_equal(dSrcDesc, srcPlainDesc) != 0;
                dnnl_memory dSrc = srcDiffIsPlain ? srcDiffPlain : scratch(dSrcDesc, rt);
                plan.add(handles.primitive(dataPd), DNNL_ARG_DIFF_DST, dDst, DNNL_ARG_WEIGHTS, dWeights,
                        DNNL_ARG_DIFF_SRC, dSrc);
                if (!srcDiffIsPlain) {
                    plan.add(handles.reorder(dSrcDesc, srcPlainDesc, rt), DNNL_ARG_FROM, dSrc, DNNL_ARG_TO, srcDiffPlain);
                }
            }
            steps = plan.primitives.toArray(new dnnl_primitive[0]);
            argCounts = plan.counts.stream().mapToInt(Integer::intValue).toArray();
            stepArgs = plan.args.toArray(new dnnl_exec_arg_t[0]);
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        OneDnn.cleanWith(this, handles);
    }

    private static dnnl_memory_desc_t any(long[] dims) {
        return OneDnn.desc(dims, dnnl_format_tag_any);
    }

    /** A buffer of {@code desc}'s size (on a 64-byte boundary: {@link OneDnn.Handles#scratch}). */
    private dnnl_memory scratch(dnnl_memory_desc_t desc, OneDnn.Runtime rt) {
        return handles.memory(desc, rt, handles.scratch(dnnl_memory_desc_get_size(desc)));
    }

    /** The primitives of one backward pass, collected in order while the constructor makes them. */
    private final class Steps {
        final java.util.List<dnnl_primitive> primitives = new java.util.ArrayList<>();
        final java.util.List<Integer> counts = new java.util.ArrayList<>();
        final java.util.List<dnnl_exec_arg_t> args = new java.util.ArrayList<>();

        void add(dnnl_primitive p, Object... pairs) {
            primitives.add(p);
            counts.add(pairs.length / 2);
            args.add(OneDnn.args(pairs));
        }

        /** {@code plain} itself when the primitive wants the plain layout, else a buffer of {@code wanted} filled by a reorder. */
        dnnl_memory into(dnnl_memory_desc_t plainDesc, dnnl_memory plain, dnnl_memory_desc_t wanted, OneDnn.Runtime rt) {
            if (dnnl_memory_desc_equal(plainDesc, wanted) != 0) {
                return plain;
            }
            dnnl_memory blocked = scratch(wanted, rt);
            add(handles.reorder(plainDesc, wanted, rt), DNNL_ARG_FROM, plain, DNNL_ARG_TO, blocked);
            return blocked;
        }
    }

    /** Whether oneDNN may read or write {@code a} in place as a dense c-order float array ({@link OneDnn#address}). */
    private static boolean contiguous(INDArray a) {
        return OneDnn.address(a, 'c') != null;
    }

    /** {@code a} itself when {@link #contiguous}, else a c-order float copy ({@link OneDnn#plain}). */
    private static INDArray inPlace(INDArray a) {
        return OneDnn.plain(a);
    }

    /** Whether these primitives were made for inputs of this shape, with the calling thread's thread count. */
    boolean fits(long[] shape) {
        return Arrays.equals(inputShape, shape) && threads == OneDnn.threads();
    }

    /** Whether these primitives compute the input gradient and the bias gradient. */
    boolean fits(long[] shape, boolean bias, boolean inputGradient) {
        return fits(shape) && bias == withBias && inputGradient == withInputGradient;
    }

    /**
     * Writes {@code dL/dW} into {@code weightGrad} ({@code [out, in, kH, kW]}, any view), {@code dL/db} into
     * {@code biasGrad} when made with a bias, and {@code dL/dx} into {@code inputGrad} ({@code [n, in, h, w]}) when made
     * for the input gradient.
     *
     * @param x the layer's input, {@code [n, in, h, w]} float
     * @param weights the layer's weights {@code [out, in, kH, kW]}
     * @param delta the gradient with respect to the pre-activation, {@code [n, out, h', w']} float
     */
    void compute(INDArray x, INDArray weights, INDArray delta, INDArray weightGrad, INDArray biasGrad,
            INDArray inputGrad) {
        if (!fits(x.shape()) || !Arrays.equals(outputShape, delta.shape())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "oneDNN convolution backward made for input %s and output %s; got %s and %s",
                    Arrays.toString(inputShape), Arrays.toString(outputShape), Arrays.toString(x.shape()),
                    Arrays.toString(delta.shape())));
        }
        INDArray src = inPlace(x);
        INDArray diffDst = inPlace(delta);
        INDArray w = withInputGradient ? inPlace(weights) : null;
        INDArray diffSrc = withInputGradient ? inPlace(inputGrad) : null;
        // The parameter gradients are views of the network's flattened gradient, written in place when contiguous.
        INDArray weightTarget = contiguous(weightGrad) ? weightGrad : weightGradPlain;
        INDArray biasView = withBias && biasGrad != null ? biasGrad.reshape(biasGrad.length()) : null;
        INDArray biasTarget = biasView != null && contiguous(biasView) ? biasView : this.biasGrad;
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            OneDnn.check(dnnl_memory_set_data_handle(srcPlain, src.data().addressPointer()), "set input");
            OneDnn.check(dnnl_memory_set_data_handle(dstDiffPlain, diffDst.data().addressPointer()), "set output gradient");
            OneDnn.check(dnnl_memory_set_data_handle(weightGradMemory, weightTarget.data().addressPointer()),
                    "set weight gradient");
            if (withBias) {
                OneDnn.check(dnnl_memory_set_data_handle(biasGradMemory, biasTarget.data().addressPointer()),
                        "set bias gradient");
            }
            if (withInputGradient) {
                OneDnn.check(dnnl_memory_set_data_handle(weightsPlain, w.data().addressPointer()), "set weights");
                OneDnn.check(dnnl_memory_set_data_handle(srcDiffPlain, diffSrc.data().addressPointer()), "set input gradient");
            }
            for (int i = 0; i < steps.length; i++) {
                OneDnn.check(dnnl_primitive_execute(steps[i], rt.stream(), argCounts[i], stepArgs[i]), "backward step " + i);
            }
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
            if (weightTarget != weightGrad) {
                weightGrad.assign(weightGradPlain);
            }
            if (biasView != null && biasTarget != biasView) {
                biasView.assign(this.biasGrad);
            }
        }
        if (withInputGradient && diffSrc != inputGrad) {
            inputGrad.assign(diffSrc);
        }
    }
}
