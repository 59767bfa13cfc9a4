package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx2;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core;
import static org.bytedeco.dnnl.global.dnnl.dnnl_get_effective_cpu_isa;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_global_stats;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_scale;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_shift;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation of one NCHW float shape through oneDNN's batch-normalisation primitives, called directly on
 * ND4J's buffers: the training forward pass (which computes the batch mean and biased variance itself), its backward
 * pass (input gradient, gamma and beta gradients, from the saved batch statistics) and the inference forward pass with
 * the running statistics. Each primitive is created once per input shape and reused every step.
 *
 * <p>Why: DL4J's {@code MKLDNNBatchNormHelper} computes the batch statistics with ND4J reductions, then runs libnd4j's
 * {@code batchnorm} with them as global statistics, and its {@code batchnorm_bp} adds reductions, broadcasts and
 * memsets of its own around oneDNN's kernel: together ~31 % of a ResNet-18 training step where oneDNN's kernel is
 * ~4.5 %. DL4J's activations are NCHW; small images run oneDNN's blocked kernels between two reorders
 * ({@link #blockOf}).
 *
 * <p>The arrays passed in are the caller's: per-channel arrays c-order float of {@code [C]} values, tensors c-order
 * float without offset (as {@link OneDnn#plain} makes them).
 */
final class OneDnnBatchNormalization {

    /**
     * Largest H*W for which the blocked layout (nChw16c on AVX-512, nChw8c on AVX2, with reorders from and to NCHW)
     * is taken: oneDNN's plain-layout kernel ({@code ncsp}) vectorises over H*W, its blocked jit kernel over channels,
     * so on small images the reorders pay for themselves (BatchNormProbe, AVX-512, 2 threads, batch 64: forward +
     * backward of 64x16x16 4.4 against 8.9 ms, 256x8x8 7.5 against 18.5, 512x4x4 1.8 against 2.9); at 32x32 the two
     * are even (73 against 69 ms).
     */
    static final long BLOCKED_MAX_PIXELS = 256;

    private final long[] shape;
    /** The OpenMP threads oneDNN fixed for these primitives at creation ({@link OneDnn#threads()}). */
    private final int threads;
    private final boolean blocked;
    private final OneDnn.Handles handles;
    private final dnnl_primitive forwardTraining;
    private final dnnl_primitive backward;
    private final dnnl_primitive forwardInference;
    /** Reorders of the blocked layout, or null in the plain one. */
    private final dnnl_primitive toBlocked;
    private final dnnl_primitive toPlain;
    /** The caller's NCHW arrays, set at each call. */
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final dnnl_memory diffDst;
    private final dnnl_memory diffSrc;
    private final dnnl_memory mean;
    private final dnnl_memory variance;
    private final dnnl_memory scale;
    private final dnnl_memory shift;
    private final dnnl_memory diffScale;
    private final dnnl_memory diffShift;
    private final dnnl_exec_arg_t forwardTrainingArgs;
    private final dnnl_exec_arg_t backwardArgs;
    private final dnnl_exec_arg_t forwardInferenceArgs;
    /** Blocked layout: the reorders' arguments (input into the kept blocked input, input into the work buffer, work
     * buffer into output, output gradient into work buffer, work buffer into input gradient). */
    private final dnnl_exec_arg_t srcToBlocked;
    private final dnnl_exec_arg_t srcToWork;
    private final dnnl_exec_arg_t workToDst;
    private final dnnl_exec_arg_t diffDstToWork;
    private final dnnl_exec_arg_t workToDiffSrc;

    /** Primitives for inputs of {@code inputShape} ({@code [n, c, h, w]}, or {@code [n, c]}) and the layer's {@code eps},
     * in the layout {@link #blockOf} chooses. */
    OneDnnBatchNormalization(long[] inputShape, double eps) {
        this(inputShape, eps, blockOf(asImages(inputShape)));
    }

    /**
     * The layout a shape runs in, a rule of the shape and the CPU's instruction set (never a timing): the channel
     * block of oneDNN's blocked layout (16 with AVX-512, 8 with AVX2) when the channels are a multiple of it and the
     * images have at most {@link #BLOCKED_MAX_PIXELS} pixels, else 0 (plain NCHW).
     */
    static int blockOf(long[] shape) {
        int isa = dnnl_get_effective_cpu_isa();
        int block = (isa & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core ? 16
                : (isa & dnnl_cpu_isa_avx2) == dnnl_cpu_isa_avx2 ? 8 : 0;
        return block > 0 && shape[1] % block == 0 && shape[2] * shape[3] <= BLOCKED_MAX_PIXELS ? block : 0;
    }

    /** {@code block}: 0 for plain NCHW, 8 or 16 for nChw8c / nChw16c with reorders. */
    OneDnnBatchNormalization(long[] inputShape, double eps, int block) {
        long[] shape = asImages(inputShape);
        if (shape.length != 4) {
            throw new IllegalArgumentException("oneDNN batch normalisation takes [n, c, h, w]; got " + Arrays.toString(shape));
        }
        OneDnn.Runtime rt = OneDnn.runtime();
        this.shape = shape.clone();
        this.threads = OneDnn.threads();
        this.blocked = block != 0;
        this.handles = new OneDnn.Handles();
        try {
            dnnl_memory_desc_t plain = OneDnn.desc(this.shape, dnnl_nchw);
            dnnl_memory_desc_t data = switch (block) {
                case 0 -> plain;
                case 8 -> OneDnn.desc(this.shape, dnnl_nChw8c);
                case 16 -> OneDnn.desc(this.shape, dnnl_nChw16c);
                default -> throw new IllegalArgumentException("channel block 0, 8 or 16; got " + block);
            };
            dnnl_memory_desc_t channels = OneDnn.desc(new long[] {shape[1]}, dnnl_x);
            int flags = dnnl_use_scale | dnnl_use_shift;

            dnnl_batch_normalization_desc_t training = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(training, dnnl_forward_training, data, (float) eps,
                    flags), "batch normalisation training descriptor");
            dnnl_primitive_desc trainingPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(trainingPd, new const_dnnl_op_desc_t(training), null, rt.engine(), null),
                    "batch normalisation training primitive descriptor");

            dnnl_batch_normalization_desc_t backwardDesc = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_backward_desc_init(backwardDesc, dnnl_backward, data, data, (float) eps,
                    flags), "batch normalisation backward descriptor");
            dnnl_primitive_desc backwardPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(backwardPd, new const_dnnl_op_desc_t(backwardDesc), null, rt.engine(),
                    trainingPd), "batch normalisation backward primitive descriptor");

            dnnl_batch_normalization_desc_t inference = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(inference, dnnl_forward_inference, data, (float) eps,
                    flags | dnnl_use_global_stats), "batch normalisation inference descriptor");
            dnnl_primitive_desc inferencePd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(inferencePd, new const_dnnl_op_desc_t(inference), null, rt.engine(),
                    null), "batch normalisation inference primitive descriptor");

            src = handles.memory(plain, rt, null);
            dst = handles.memory(plain, rt, null);
            diffDst = handles.memory(plain, rt, null);
            diffSrc = handles.memory(plain, rt, null);
            mean = handles.memory(channels, rt, null);
            variance = handles.memory(channels, rt, null);
            scale = handles.memory(channels, rt, null);
            shift = handles.memory(channels, rt, null);
            diffScale = handles.memory(channels, rt, null);
            diffShift = handles.memory(channels, rt, null);
            // Blocked: the training input kept for the backward pass, and one work buffer for everything else (oneDNN's
            // batch normalisation runs in place: dst over src, diff_src over diff_dst).
            dnnl_memory kept = src;
            dnnl_memory work = null;
            if (blocked) {
                long bytes = dnnl_memory_desc_get_size(data);
                kept = handles.memory(data, rt, handles.scratch(bytes));
                work = handles.memory(data, rt, handles.scratch(bytes));
                toBlocked = handles.reorder(plain, data, rt);
                toPlain = handles.reorder(data, plain, rt);
            } else {
                toBlocked = null;
                toPlain = null;
            }
            srcToBlocked = blocked ? OneDnn.args(DNNL_ARG_FROM, src, DNNL_ARG_TO, kept) : null;
            srcToWork = blocked ? OneDnn.args(DNNL_ARG_FROM, src, DNNL_ARG_TO, work) : null;
            workToDst = blocked ? OneDnn.args(DNNL_ARG_FROM, work, DNNL_ARG_TO, dst) : null;
            diffDstToWork = blocked ? OneDnn.args(DNNL_ARG_FROM, diffDst, DNNL_ARG_TO, work) : null;
            workToDiffSrc = blocked ? OneDnn.args(DNNL_ARG_FROM, work, DNNL_ARG_TO, diffSrc) : null;

            forwardTraining = handles.primitive(trainingPd);
            backward = handles.primitive(backwardPd);
            forwardInference = handles.primitive(inferencePd);
            forwardTrainingArgs = OneDnn.args(DNNL_ARG_SRC, kept, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_DST, blocked ? work : dst, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance);
            backwardArgs = OneDnn.args(DNNL_ARG_SRC, kept, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance,
                    DNNL_ARG_DIFF_DST, blocked ? work : diffDst, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_DIFF_SRC, blocked ? work : diffSrc, DNNL_ARG_DIFF_SCALE, diffScale,
                    DNNL_ARG_DIFF_SHIFT, diffShift);
            forwardInferenceArgs = OneDnn.args(DNNL_ARG_SRC, blocked ? work : src, DNNL_ARG_MEAN, mean,
                    DNNL_ARG_VARIANCE, variance, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_DST, blocked ? work : dst);
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        OneDnn.cleanWith(this, handles);
    }

    /** Whether the blocked layout is used. */
    boolean blocked() {
        return blocked;
    }

    /** Whether these primitives were made for inputs of this shape. */
    boolean fits(long[] inputShape) {
        return Arrays.equals(shape, asImages(inputShape));
    }

    /** Whether these primitives were made for inputs of this shape and for the current OpenMP thread count (oneDNN
     * fixes a primitive's count at creation; training and inference may run on different counts). */
    boolean fitsNow(long[] inputShape) {
        return fits(inputShape) && threads == OneDnn.threads();
    }

    /** {@code [n, c, h, w]} for an image batch, {@code [n, c, 1, 1]} for a dense layer's {@code [n, c]}. */
    static long[] asImages(long[] inputShape) {
        return inputShape.length == 2 ? new long[] {inputShape[0], inputShape[1], 1, 1} : inputShape;
    }

    /**
     * Training forward pass: {@code out = gamma * (x - mean) / sqrt(var + eps) + beta} with the batch mean and biased
     * variance over N, H and W, which it writes into {@code batchMean} and {@code batchVar}.
     */
    void forwardTraining(INDArray x, INDArray gamma, INDArray beta, INDArray out, INDArray batchMean, INDArray batchVar) {
        check(x, out);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            set(src, x, "input");
            set(scale, gamma, "gamma");
            set(shift, beta, "beta");
            set(dst, out, "output");
            set(mean, batchMean, "batch mean");
            set(variance, batchVar, "batch variance");
            reorder(toBlocked, srcToBlocked, rt);
            OneDnn.check(dnnl_primitive_execute(forwardTraining, rt.stream(), 6, forwardTrainingArgs),
                    "batch normalisation forward");
            reorder(toPlain, workToDst, rt);
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
    }

    /** Backward pass of the last {@link #forwardTraining} of these primitives (same input), with its batch statistics: the gradients of input, gamma and beta. */
    void backward(INDArray x, INDArray gamma, INDArray beta, INDArray batchMean, INDArray batchVar, INDArray epsilon,
            INDArray inputGradient, INDArray gammaGradient, INDArray betaGradient) {
        check(x, epsilon);
        check(x, inputGradient);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            set(src, x, "input");
            set(mean, batchMean, "batch mean");
            set(variance, batchVar, "batch variance");
            set(diffDst, epsilon, "output gradient");
            set(scale, gamma, "gamma");
            set(shift, beta, "beta");
            set(diffSrc, inputGradient, "input gradient");
            set(diffScale, gammaGradient, "gamma gradient");
            set(diffShift, betaGradient, "beta gradient");
            // The blocked input is the one the training forward pass kept (same layer, same shape: the caller's rule).
            reorder(toBlocked, diffDstToWork, rt);
            OneDnn.check(dnnl_primitive_execute(backward, rt.stream(), 9, backwardArgs), "batch normalisation backward");
            reorder(toPlain, workToDiffSrc, rt);
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
    }

    /** Inference forward pass with the running statistics {@code runningMean} and {@code runningVar}. */
    void forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
            INDArray out) {
        check(x, out);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            set(src, x, "input");
            set(mean, runningMean, "running mean");
            set(variance, runningVar, "running variance");
            set(scale, gamma, "gamma");
            set(shift, beta, "beta");
            set(dst, out, "output");
            reorder(toBlocked, srcToWork, rt);
            OneDnn.check(dnnl_primitive_execute(forwardInference, rt.stream(), 6, forwardInferenceArgs),
                    "batch normalisation inference");
            reorder(toPlain, workToDst, rt);
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
    }

    /** Whether {@code a} can be handed to oneDNN as it is: a c-order float array owning its buffer from the start. */
    static boolean isPlain(INDArray a) {
        return OneDnn.address(a, 'c') != null;
    }

    /** {@code x} and {@code other} hold this shape's values ({@code [n, c]} for {@code [n, c, 1, 1]}). */
    private void check(INDArray x, INDArray other) {
        if (!fits(x.shape()) || !fits(other.shape())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "oneDNN batch normalisation made for %s; got %s and %s", Arrays.toString(shape),
                    Arrays.toString(x.shape()), Arrays.toString(other.shape())));
        }
    }

    private static void reorder(dnnl_primitive reorder, dnnl_exec_arg_t args, OneDnn.Runtime rt) {
        if (reorder != null) {
            OneDnn.check(dnnl_primitive_execute(reorder, rt.stream(), 2, args), "reorder");
        }
    }

    private static void set(dnnl_memory memory, INDArray array, String what) {
        if (!isPlain(array)) {
            throw new IllegalArgumentException("oneDNN batch normalisation: " + what + " must be a c-order float array "
                    + "owning its buffer");
        }
        OneDnn.check(dnnl_memory_set_data_handle(memory, array.data().addressPointer()), "set " + what);
    }
}
