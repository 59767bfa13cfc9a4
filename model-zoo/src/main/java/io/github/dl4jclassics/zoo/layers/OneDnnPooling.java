package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
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

import io.github.dl4jclassics.common.CpuIsa;
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
    /** ND4J's NCHW buffers; the primitives' own memories are these, or blocked copies reordered from and to them. */
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final dnnl_memory diffDst;
    private final dnnl_memory diffSrc;
    /** Reorders NCHW -> blocked (input, output gradient) and back (output, input gradient); null in NCHW. */
    private final dnnl_primitive[] reorders;
    private final dnnl_exec_arg_t[] reorderArgs;
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
        this.outputShape = OneDnn.outputShape(inputShape, inputShape[1], kernel, stride, padding);
        long[] padsAfter = OneDnn.padsAfter(inputShape, outputShape, kernel, stride, padding);
        long[] kernels = {kernel[0], kernel[1]};
        long[] strides = {stride[0], stride[1]};
        int algorithm = max ? dnnl_pooling_max : dnnl_pooling_avg_include_padding;
        int block = blockOf(inputShape[1]);
        this.handles = new OneDnn.Handles();
        try {
            dnnl_memory_desc_t srcPlainDesc = OneDnn.desc(this.inputShape, dnnl_nchw);
            dnnl_memory_desc_t dstPlainDesc = OneDnn.desc(outputShape, dnnl_nchw);
            int tag = block == 16 ? dnnl_nChw16c : block == 8 ? dnnl_nChw8c : dnnl_nchw;
            dnnl_memory_desc_t srcDesc = block == 0 ? srcPlainDesc : OneDnn.desc(this.inputShape, tag);
            dnnl_memory_desc_t dstDesc = block == 0 ? dstPlainDesc : OneDnn.desc(outputShape, tag);
            dnnl_pooling_desc_t forwardDesc = new dnnl_pooling_desc_t();
            OneDnn.check(dnnl_pooling_forward_desc_init(forwardDesc,
                    training ? dnnl_forward_training : dnnl_forward_inference, algorithm, srcDesc, dstDesc, strides,
                    kernels, pads, padsAfter), "pooling forward descriptor");
            dnnl_primitive_desc forwardPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forwardDesc), null,
                    rt.engine(), null), "pooling forward primitive descriptor");
            src = handles.memory(srcPlainDesc, rt, null);
            dst = handles.memory(dstPlainDesc, rt, null);
            dnnl_memory srcWork = block == 0 ? src : blocked(srcDesc, rt);
            dnnl_memory dstWork = block == 0 ? dst : blocked(dstDesc, rt);
            forward = handles.primitive(forwardPd);
            dnnl_memory workspace = null;
            if (training && max) {
                dnnl_memory_desc_t workspaceDesc = dnnl_primitive_desc_query_md(forwardPd, dnnl_query_workspace_md, 0);
                workspace = handles.memory(workspaceDesc, rt,
                        handles.scratch(Math.max(4, dnnl_memory_desc_get_size(workspaceDesc))));
            }
            if (workspace != null) {
                forwardArgs = OneDnn.args(DNNL_ARG_SRC, srcWork, DNNL_ARG_DST, dstWork, DNNL_ARG_WORKSPACE, workspace);
                forwardArgCount = 3;
            } else {
                forwardArgs = OneDnn.args(DNNL_ARG_SRC, srcWork, DNNL_ARG_DST, dstWork);
                forwardArgCount = 2;
            }
            dnnl_memory diffDstWork = null;
            dnnl_memory diffSrcWork = null;
            if (training) {
                dnnl_pooling_desc_t backwardDesc = new dnnl_pooling_desc_t();
                OneDnn.check(dnnl_pooling_backward_desc_init(backwardDesc, algorithm, srcDesc, dstDesc, strides,
                        kernels, pads, padsAfter), "pooling backward descriptor");
                dnnl_primitive_desc backwardPd = handles.pd();
                OneDnn.check(dnnl_primitive_desc_create(backwardPd, new const_dnnl_op_desc_t(backwardDesc), null,
                        rt.engine(), forwardPd), "pooling backward primitive descriptor");
                diffDst = handles.memory(dstPlainDesc, rt, null);
                diffSrc = handles.memory(srcPlainDesc, rt, null);
                diffDstWork = block == 0 ? diffDst : blocked(dstDesc, rt);
                diffSrcWork = block == 0 ? diffSrc : blocked(srcDesc, rt);
                backward = handles.primitive(backwardPd);
                if (workspace != null) {
                    backwardArgs = OneDnn.args(DNNL_ARG_DIFF_DST, diffDstWork, DNNL_ARG_DIFF_SRC, diffSrcWork,
                            DNNL_ARG_WORKSPACE, workspace);
                    backwardArgCount = 3;
                } else {
                    backwardArgs = OneDnn.args(DNNL_ARG_DIFF_DST, diffDstWork, DNNL_ARG_DIFF_SRC, diffSrcWork);
                    backwardArgCount = 2;
                }
            } else {
                diffDst = null;
                diffSrc = null;
                backward = null;
                backwardArgs = null;
                backwardArgCount = 0;
            }
            if (block == 0) {
                reorders = null;
                reorderArgs = null;
            } else {
                reorders = new dnnl_primitive[]{handles.reorder(srcPlainDesc, srcDesc, rt),
                        handles.reorder(dstDesc, dstPlainDesc, rt),
                        training ? handles.reorder(dstPlainDesc, dstDesc, rt) : null,
                        training ? handles.reorder(srcDesc, srcPlainDesc, rt) : null};
                reorderArgs = new dnnl_exec_arg_t[]{OneDnn.args(DNNL_ARG_FROM, src, DNNL_ARG_TO, srcWork),
                        OneDnn.args(DNNL_ARG_FROM, dstWork, DNNL_ARG_TO, dst),
                        training ? OneDnn.args(DNNL_ARG_FROM, diffDst, DNNL_ARG_TO, diffDstWork) : null,
                        training ? OneDnn.args(DNNL_ARG_FROM, diffSrcWork, DNNL_ARG_TO, diffSrc) : null};
            }
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        OneDnn.cleanWith(this, handles);
    }

    /**
     * The channel block of the layout the primitives run in, a rule of the channel count and the instruction set:
     * below AVX-512 oneDNN 2.5 has no JIT pooling kernel for plain NCHW and falls back to {@code simple_nchw} (the
     * ResNet-18 stem's 3x3/2 pool, 64x32x32 at batch 64: 28 ms an inference pass at the AVX2 cap), so with AVX2 a
     * channel count that is a multiple of 8 runs {@code nChw8c} between two reorders; with AVX-512 the plain layout's
     * JIT kernel is used as it is (0: plain NCHW).
     */
    static int blockOf(long channels) {
        return CpuIsa.effective() != CpuIsa.AVX512 && channels % 8 == 0 ? 8 : 0;
    }

    private dnnl_memory blocked(dnnl_memory_desc_t desc, OneDnn.Runtime rt) {
        return handles.memory(desc, rt, handles.scratch(dnnl_memory_desc_get_size(desc)));
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
            reorder(0, rt);
            OneDnn.check(dnnl_primitive_execute(forward, rt.stream(), forwardArgCount, forwardArgs), "pooling forward");
            reorder(1, rt);
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
            reorder(2, rt);
            OneDnn.check(dnnl_primitive_execute(backward, rt.stream(), backwardArgCount, backwardArgs),
                    "pooling backward");
            reorder(3, rt);
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
        if (target != gradIn) {
            gradIn.assign(target);
        }
    }

    private void reorder(int which, OneDnn.Runtime rt) {
        if (reorders != null) {
            OneDnn.check(dnnl_primitive_execute(reorders[which], rt.stream(), 2, reorderArgs[which]),
                    "pooling reorder");
        }
    }

    private static void check(INDArray a, long[] expected, String what) {
        if (!Arrays.equals(a.shape(), expected)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "oneDNN pooling made for %s %s; got %s",
                    what, Arrays.toString(expected), Arrays.toString(a.shape())));
        }
    }
}
