package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_avg_include_padding;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max or average pooling of one undilated NCHW float input shape through oneDNN's pooling primitives called directly
 * (JavaCPP's presets, see {@link OneDnn}), on ND4J's buffers: the forward pass and, for training, the backward pass.
 *
 * <p>Why: DL4J's oneDNN helper runs libnd4j's {@code maxpool2d} / {@code avgpool2d}, which create their primitive at
 * every call, and {@code maxpool2d_bp}, which runs the forward pass again to find the maxima before the backward one
 * (18 % of a LeNet-5 training step, async-profiler, docs/PERFORMANCE.md round 4). Here both primitives are made once
 * per input shape, and the training forward pass leaves oneDNN's workspace (where each maximum was) for the backward
 * pass. Same kernels as libnd4j's (oneDNN's), so the same values: which input of a tied window gets the gradient is
 * oneDNN's choice on both paths.
 */
final class OneDnnPooling {

    private final long[] inputShape;
    private final long[] outputShape;
    private final boolean training;
    /** OpenMP threads at creation, which the primitives keep ({@link OneDnn#threads()}). */
    private final int threads;
    private final OneDnn.Handles handles;
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final dnnl_memory diffDst;
    private final dnnl_memory diffSrc;
    private final dnnl_primitive forward;
    private final dnnl_primitive backward;
    private final dnnl_exec_arg_t forwardArgs;
    private final dnnl_exec_arg_t backwardArgs;
    private final int forwardArgCount;
    private final int backwardArgCount;

    /**
     * Primitives for inputs {@code [n, c, h, w]}; {@code max} or else average with padding counted in the divisor (as
     * DL4J's oneDNN helper and PyTorch's {@code count_include_pad=True}); {@code padding} before each spatial axis,
     * DL4J's truncate-mode output size. {@code training}: forward-training with a backward pass, else inference only.
     */
    OneDnnPooling(long[] inputShape, boolean max, int[] kernel, int[] stride, int[] padding, boolean training) {
        OneDnn.Runtime rt = OneDnn.runtime();
        this.inputShape = inputShape.clone();
        this.training = training;
        this.threads = OneDnn.threads();
        long[] pads = {padding[0], padding[1]};
        this.outputShape = outputShape(inputShape, kernel, stride, padding);
        long[] padsAfter = padsAfter(inputShape, outputShape, kernel, stride, padding);
        long[] kernels = {kernel[0], kernel[1]};
        long[] strides = {stride[0], stride[1]};
        int algorithm = max ? dnnl_pooling_max : dnnl_pooling_avg_include_padding;
        this.handles = new OneDnn.Handles();
        try {
            dnnl_memory_desc_t srcDesc = OneDnn.desc(this.inputShape, dnnl_nchw);
            dnnl_memory_desc_t dstDesc = OneDnn.desc(outputShape, dnnl_nchw);
            dnnl_pooling_desc_t forwardDesc = new dnnl_pooling_desc_t();
            OneDnn.check(dnnl_pooling_forward_desc_init(forwardDesc,
                    training ? dnnl_forward_training : dnnl_forward_inference, algorithm, srcDesc, dstDesc, strides,
                    kernels, pads, padsAfter), "pooling forward descriptor");
            dnnl_primitive_desc forwardPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forwardDesc), null,
                    rt.engine(), null), "pooling forward primitive descriptor");
            src = handles.memory(srcDesc, rt, null);
            dst = handles.memory(dstDesc, rt, null);
            forward = handles.primitive(forwardPd);
            dnnl_memory workspace = null;
            if (training && max) {
                dnnl_memory_desc_t workspaceDesc = dnnl_primitive_desc_query_md(forwardPd, dnnl_query_workspace_md, 0);
                workspace = handles.memory(workspaceDesc, rt,
                        handles.scratch(Math.max(4, dnnl_memory_desc_get_size(workspaceDesc))));
            }
            if (workspace != null) {
                forwardArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_WORKSPACE, workspace);
                forwardArgCount = 3;
            } else {
                forwardArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_DST, dst);
                forwardArgCount = 2;
            }
            if (training) {
                dnnl_pooling_desc_t backwardDesc = new dnnl_pooling_desc_t();
                OneDnn.check(dnnl_pooling_backward_desc_init(backwardDesc, algorithm, srcDesc, dstDesc, strides,
                        kernels, pads, padsAfter), "pooling backward descriptor");
                dnnl_primitive_desc backwardPd = handles.pd();
                OneDnn.check(dnnl_primitive_desc_create(backwardPd, new const_dnnl_op_desc_t(backwardDesc), null,
                        rt.engine(), forwardPd), "pooling backward primitive descriptor");
                diffDst = handles.memory(dstDesc, rt, null);
                diffSrc = handles.memory(srcDesc, rt, null);
                backward = handles.primitive(backwardPd);
                if (workspace != null) {
                    backwardArgs = OneDnn.args(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc,
                            DNNL_ARG_WORKSPACE, workspace);
                    backwardArgCount = 3;
                } else {
                    backwardArgs = OneDnn.args(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc);
                    backwardArgCount = 2;
                }
            } else {
                diffDst = null;
                diffSrc = null;
                backward = null;
                backwardArgs = null;
                backwardArgCount = 0;
            }
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        OneDnn.cleanWith(this, handles);
    }

    /** DL4J's truncate-mode output shape {@code [n, c, h', w']}. */
    static long[] outputShape(long[] inputShape, int[] kernel, int[] stride, int[] padding) {
        long oh = (inputShape[2] + 2L * padding[0] - kernel[0]) / stride[0] + 1;
        long ow = (inputShape[3] + 2L * padding[1] - kernel[1]) / stride[1] + 1;
        return new long[]{inputShape[0], inputShape[1], oh, ow};
    }

    /** The padding after each spatial axis that gives DL4J's output size (negative: input rows left unread). */
    static long[] padsAfter(long[] inputShape, long[] outputShape, int[] kernel, int[] stride, int[] padding) {
        return new long[]{(outputShape[2] - 1) * stride[0] + kernel[0] - inputShape[2] - padding[0],
                (outputShape[3] - 1) * stride[1] + kernel[1] - inputShape[3] - padding[1]};
    }

    /** Whether this primitive set was made for inputs of this shape, this phase and the current thread count. */
    boolean fits(long[] shape, boolean forTraining) {
        return training == forTraining && Arrays.equals(inputShape, shape) && threads == OneDnn.threads();
    }

    long[] outputShape() {
        return outputShape.clone();
    }

    /** Pools {@code x} into {@code out} ({@link #outputShape()}); in training, remembers where the maxima were. */
    void forward(INDArray x, INDArray out) {
        check(x, inputShape, "input");
        check(out, outputShape, "output");
        INDArray in = OneDnn.plain(x);
        INDArray target = OneDnn.plain(out);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            OneDnn.check(dnnl_memory_set_data_handle(src, in.data().addressPointer()), "set input");
            OneDnn.check(dnnl_memory_set_data_handle(dst, target.data().addressPointer()), "set output");
            OneDnn.check(dnnl_primitive_execute(forward, rt.stream(), forwardArgCount, forwardArgs), "pooling forward");
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
        if (target != out) {
            out.assign(target);
        }
    }

    /**
     * Writes {@code dL/dx} into {@code gradIn} from {@code dL/dy}; for max pooling, of the input of the last
     * {@link #forward} (its workspace).
     */
    void backward(INDArray epsilon, INDArray gradIn) {
        if (!training) {
            throw new IllegalStateException("pooling primitive made for inference has no backward pass");
        }
        check(epsilon, outputShape, "output gradient");
        check(gradIn, inputShape, "input gradient");
        INDArray eps = OneDnn.plain(epsilon);
        INDArray target = OneDnn.plain(gradIn);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            OneDnn.check(dnnl_memory_set_data_handle(diffDst, eps.data().addressPointer()), "set output gradient");
            OneDnn.check(dnnl_memory_set_data_handle(diffSrc, target.data().addressPointer()), "set input gradient");
            OneDnn.check(dnnl_primitive_execute(backward, rt.stream(), backwardArgCount, backwardArgs),
                    "pooling backward");
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
        if (target != gradIn) {
            gradIn.assign(target);
        }
    }

    private static void check(INDArray a, long[] expected, String what) {
        if (!Arrays.equals(a.shape(), expected)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "oneDNN pooling made for %s %s; got %s",
                    what, Arrays.toString(expected), Arrays.toString(a.shape())));
        }
    }
}
